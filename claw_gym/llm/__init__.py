"""Language-model agents: evaluate any OpenAI-compatible chat model on the suite.

- :mod:`~claw_gym.llm.prompt`: the chat format (system prompt, observations as messages),
  shared with ``claw-gym export --format chat-jsonl`` and versioned;
- :mod:`~claw_gym.llm.tools`: the tools a task offers (ToolCalling's, gated by the task's devices);
- :mod:`~claw_gym.llm.context`: fitting a conversation into a token budget, and how tokens are counted;
- :mod:`~claw_gym.llm.client`: one request with timeouts, retries and backoff (the ``openai`` client);
- :mod:`~claw_gym.llm.agent`: the policy that ``claw-gym eval --agent llm`` runs;
- :mod:`~claw_gym.llm.config`: its settings and command-line options.

Only :mod:`~claw_gym.llm.client` needs the ``openai`` package (``pip install 'claw-gym[llm]'``).
"""

from .config import LLMConfig
from .prompt import PROMPT_VERSION

__all__ = ["PROMPT_VERSION", "LLMConfig"]
