"""The pair-scoring policy: a logit per menu slot from (observation, that slot's features).

Why (docs/baselines.md, the diagnosis): a slot's index means a different row on every task, so a
``Discrete(N)`` head over features of the whole observation fits the train tasks and transfers
nothing. :class:`PairScorer` embeds the observation and each slot (the per-slot features of
:class:`.slots.SlotLabels`) and scores every pair with the same small MLP, so permuting the slots
permutes the logits. :class:`PairPolicy` is sb3-contrib's ``MaskableActorCriticPolicy`` with the
scorer as its ``mlp_extractor`` and an identity ``action_net``: MaskablePPO, behaviour cloning and
BC then PPO train one network under the same masks.
"""

from __future__ import annotations

from typing import Any

import torch
from sb3_contrib.common.maskable.policies import MaskableActorCriticPolicy
from torch import nn


class PairScorer(nn.Module):
    """Features ``[observation | slot 0 | ... | slot n-1]`` -> (a logit per slot, the critic's latent).

    logit_i = w . tanh(A [o * e_i, e_i] + B o) with o = obs_net(observation) and e_i =
    slot_net(slot i): one set of weights for every slot. The critic sees the observation only."""

    def __init__(self, base: int, slots: int, width: int, hidden: int = 64) -> None:
        super().__init__()
        self.base, self.slots, self.width = base, slots, width
        self.latent_dim_pi, self.latent_dim_vf = slots, hidden  # what SB3 sizes its heads by
        self.obs_net = nn.Sequential(nn.Linear(base, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())
        self.slot_net = nn.Sequential(nn.Linear(width, hidden), nn.Tanh())
        self.pair_slot = nn.Linear(2 * hidden, hidden)  # on (o * e_i, e_i)
        self.pair_obs = nn.Linear(hidden, hidden, bias=False)  # on o: once per observation, not per slot
        self.score = nn.Linear(hidden, 1)
        self.critic = nn.Sequential(nn.Linear(base, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())

    def forward_actor(self, features: torch.Tensor) -> torch.Tensor:
        o = self.obs_net(features[:, : self.base])
        e = self.slot_net(features[:, self.base :].reshape(-1, self.slots, self.width))
        h = torch.tanh(self.pair_slot(torch.cat([e * o[:, None], e], -1)) + self.pair_obs(o)[:, None])
        return self.score(h).squeeze(-1)

    def forward_critic(self, features: torch.Tensor) -> torch.Tensor:
        return self.critic(features[:, : self.base])

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.forward_actor(features), self.forward_critic(features)


class PairPolicy(MaskableActorCriticPolicy):
    """MaskablePPO's policy with a :class:`PairScorer`; ``layout`` is ``SlotLabels.layout()``."""

    def __init__(self, *args: Any, layout: tuple[int, int, int], hidden: int = 64, **kwargs: Any) -> None:
        self.layout: tuple[int, int, int] = (layout[0], layout[1], layout[2])  # read by super().__init__
        self.hidden = hidden
        super().__init__(*args, **kwargs)

    def _build_mlp_extractor(self) -> None:
        self.scorer = PairScorer(*self.layout, hidden=self.hidden)
        self.mlp_extractor = self.scorer  # type: ignore[assignment]  # SB3 needs only its latents and forwards

    def _build(self, lr_schedule: Any) -> None:
        super()._build(lr_schedule)
        self.action_net = nn.Identity()  # the scorer's output is already one logit per slot
        nn.init.orthogonal_(self.scorer.score.weight, gain=0.01)  # near-uniform start, as SB3's head
        nn.init.zeros_(self.scorer.score.bias)
        # the optimiser again: it must see the parameters as they are now (as SB3's _build makes it)
        self.optimizer = self.optimizer_class(self.parameters(), lr=lr_schedule(1), **self.optimizer_kwargs)  # type: ignore[call-arg]

    def _get_constructor_parameters(self) -> dict[str, Any]:
        return {**super()._get_constructor_parameters(), "layout": self.layout, "hidden": self.hidden}
