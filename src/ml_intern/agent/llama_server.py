"""llama.cpp's OpenAI-compatible server (from llama-cpp-python, the ``ml-intern[local]`` extra), started with the
same model loading as the in-process provider (``ml_intern.llm.no_weight_repacking``).

    python -m ml_intern.agent.llama_server --model PATH.gguf --host 127.0.0.1 --port 8080 --model_alias smollm2

Then ``--llm openai-compatible:smollm2`` with ``ML_INTERN_LLM_BASE_URL=http://127.0.0.1:8080/v1``. The arguments are
llama.cpp's server's own (``--help``).
"""

from __future__ import annotations

import runpy

from ml_intern.llm import no_weight_repacking

if __name__ == "__main__":
    with no_weight_repacking():
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
