"""The agent: repairs what no rule fixes and writes model code the plan names (``agent.agent``), on the shared LLM
client (``ml_intern.llm``)."""
