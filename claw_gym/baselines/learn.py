"""The learned rows: MaskablePPO on the curriculum, behaviour cloning on oracle demonstrations, and
BC then PPO. One policy network for all three (the pair scorer of :mod:`.pointer`, or sb3-contrib's
``MlpPolicy`` with ``Setup(pointer=False)``); BC trains it by
cross-entropy on (features, slot) pairs under the menu's masks, with PPO's own optimiser.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from claw_gym.tasks import TaskSpec

from .demos import Walk, pairs, walk
from .envs import Setup, curriculum_for, make_env, menu_of
from .rows import greedy, play

Probe = Callable[[Any], tuple[float, float]]  # model -> (suite probe success, tutorial probe success)


@dataclass
class Budget:
    """How much learning a run affords."""

    ppo_steps: int = 30_000
    finetune_steps: int = 15_000
    finetune_lr: float = 1e-4  # PPO's 1e-3 unlearns BC within 3,000 steps (probe 0.33 -> 0.00); 1e-4 keeps it
    checkpoints: int = 6  # points on each curve
    demos: int = 300  # oracle episodes for behaviour cloning
    bc_epochs: int = 30
    bc_updates: int = 2000  # at least this many gradient steps (see learn.clone)
    n_envs: int = 4
    window: int = 40  # curriculum window (episodes)


@dataclass
class Curve:
    """Success of the greedy policy on fixed pairs against env steps: the suite's probe pairs and
    the tutorial's (whether the policy learns anything at all)."""

    name: str
    steps: list[int] = field(default_factory=list)
    success: list[float] = field(default_factory=list)
    tutorial: list[float] = field(default_factory=list)
    stage: list[int] = field(default_factory=list)

    def add(self, steps: int, rates: tuple[float, float], stage: int) -> None:
        self.steps.append(steps)
        self.success.append(rates[0])
        self.tutorial.append(rates[1])
        self.stage.append(stage)


def new_model(env: Any, seed: int, setup: Setup | None = None) -> Any:
    """A MaskablePPO over ``env`` (a vector env), the settings the tutorial example learns with; its
    policy is the pair scorer of :mod:`.pointer` when ``setup.pointer`` (the env then carries per-slot
    features), else sb3-contrib's ``MlpPolicy``."""
    import torch
    from sb3_contrib import MaskablePPO

    torch.set_num_threads(1)  # small networks: threads only contend on a shared CPU
    policy: Any = "MlpPolicy"
    kwargs: dict[str, Any] = {}
    if setup is not None and setup.pointer:
        from .pointer import PairPolicy
        from .slots import layout_of

        policy, kwargs = PairPolicy, {"layout": layout_of(setup.slot_dim, env.observation_space, env.action_space.n)}
    return MaskablePPO(
        policy,
        env,
        n_steps=128,
        batch_size=128,
        n_epochs=4,
        learning_rate=1e-3,
        ent_coef=0.01,
        gamma=0.95,
        seed=seed,
        verbose=0,
        policy_kwargs=kwargs or None,
    )


def vector(setup: Setup, budget: Budget, seed: int) -> tuple[Any, Any]:
    """A DummyVecEnv of curriculum envs sharing one schedule, and that curriculum."""
    from stable_baselines3.common.vec_env import DummyVecEnv

    curriculum = curriculum_for(setup, window=budget.window)
    venv = DummyVecEnv([lambda: make_env(setup, curriculum, record=False) for _ in range(budget.n_envs)])
    venv.seed(seed)
    return venv, curriculum


def train_ppo(model: Any, curriculum: Any, steps: int, budget: Budget, probe: Probe, name: str) -> Curve:
    """``steps`` of PPO, probing the greedy policy at evenly spaced checkpoints (and before)."""
    from claw_gym.wrappers.curriculum import sb3_callback

    curve = Curve(name)
    curve.add(0, probe(model), curriculum.level)
    done = 0
    for k in range(1, budget.checkpoints + 1):
        target = steps * k // budget.checkpoints
        if target > done:
            model.learn(target - done, callback=sb3_callback(curriculum), reset_num_timesteps=False)
            done = target
        curve.add(done, probe(model), curriculum.level)
    return curve


def demonstrations(setup: Setup, specs: list[tuple[TaskSpec, int]], relevant_taps: bool = False) -> list[Walk]:
    """Oracle episodes of (task, seed) pairs, seen through the menu (features as observations)."""
    env = make_env(setup)
    menu = menu_of(env)
    menu.relevant_taps = relevant_taps
    return [walk(env, menu, spec.task_id, seed, spec.family) for spec, seed in specs]


def clone(model: Any, walks: list[Walk], epochs: int, seed: int, batch: int = 64, updates: int = 0) -> list[float]:
    """Behaviour cloning: cross-entropy of the policy's masked distribution on the expressed oracle
    actions; returns the mean loss of each epoch.

    ``epochs`` passes over the pairs, and more until ``updates`` gradient steps are done: a few
    hundred pairs make one or two batches an epoch, and 30 Adam steps from the policy's near-uniform
    start fit nothing (measured: one slot in three right on the tutorial's own pairs)."""
    import torch

    data = list(pairs(walks))
    if not data:
        return []
    obs = torch.as_tensor(np.stack([d[0] for d in data]), dtype=torch.float32)
    acts = torch.as_tensor([d[1] for d in data], dtype=torch.long)
    masks = np.stack([d[2] for d in data])
    policy = model.policy
    policy.set_training_mode(True)
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    per_epoch = -(-len(data) // batch)
    for _ in range(max(epochs, -(-updates // per_epoch))):
        order = rng.permutation(len(data))
        total = 0.0
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            dist = policy.get_distribution(obs[idx], action_masks=masks[idx])
            loss = -dist.log_prob(acts[idx]).mean()
            policy.optimizer.zero_grad()
            loss.backward()
            policy.optimizer.step()
            total += float(loss.detach()) * len(idx)
        losses.append(total / len(order))
    policy.set_training_mode(False)
    return losses


def rate(results: list[dict[str, Any]]) -> float:
    return sum(r["passed"] for r in results) / len(results) if results else 0.0


def prober(setup: Setup, suite_pairs: list[tuple[TaskSpec, int]], tutorial_pairs: list[tuple[TaskSpec, int]]) -> Probe:
    """The success rates of a model's greedy policy on the two probe sets (one env, reused)."""
    env = make_env(setup)

    def probe(model: Any) -> tuple[float, float]:
        return rate(play(env, greedy(model), suite_pairs)), rate(play(env, greedy(model), tutorial_pairs))

    return probe


@dataclass
class Learned:
    """The three learned models, their curves and what it took."""

    models: dict[str, Any]
    curves: list[Curve]
    bc_losses: list[float]
    demo_walks: list[Walk]
    seconds: dict[str, float]
    final_stage: dict[str, int]


def learn_all(
    setup: Setup,
    budget: Budget,
    seed: int,
    demo_specs: list[tuple[TaskSpec, int]],
    probe_pairs: list[tuple[TaskSpec, int]],
    tutorial_pairs: list[tuple[TaskSpec, int]],
    log: Callable[[str], None] = print,
) -> Learned:
    """PPO from scratch; BC; BC then PPO (the curriculum starts again for the fine-tuning)."""
    probe = prober(setup, probe_pairs, tutorial_pairs)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    venv, cur = vector(setup, budget, seed)
    ppo = new_model(venv, seed, setup)
    ppo_curve = train_ppo(ppo, cur, budget.ppo_steps, budget, probe, "PPO (curriculum)")
    seconds["ppo"] = time.perf_counter() - t0
    stages = {"ppo": cur.level}
    log(f"  PPO: {budget.ppo_steps} steps, curriculum stage {cur.level + 1}/{len(cur.stages)}, {seconds['ppo']:.0f} s")

    t0 = time.perf_counter()
    walks = demonstrations(setup, demo_specs)
    venv2, cur2 = vector(setup, budget, seed)
    bc = new_model(venv2, seed, setup)
    losses = clone(bc, walks, budget.bc_epochs, seed, updates=budget.bc_updates)
    seconds["bc"] = time.perf_counter() - t0
    n_pairs = sum(1 for _ in pairs(walks))
    log(f"  BC: {len(walks)} demonstrations, {n_pairs} (features, slot) pairs, loss {losses[:1]} -> {losses[-1:]}")

    t0 = time.perf_counter()
    import copy

    bc_snapshot = copy.deepcopy(bc.policy.state_dict())
    bc.learning_rate = budget.finetune_lr
    bc._setup_lr_schedule()  # SB3 sets the optimiser's rate from this schedule at every update
    fine_curve = train_ppo(bc, cur2, budget.finetune_steps, budget, probe, "BC then PPO")
    seconds["bc+ppo"] = time.perf_counter() - t0
    stages["bc+ppo"] = cur2.level
    log(
        f"  BC+PPO: {budget.finetune_steps} steps, stage {cur2.level + 1}/{len(cur2.stages)}, {seconds['bc+ppo']:.0f} s"
    )
    bc_only = new_model(venv2, seed, setup)
    bc_only.policy.load_state_dict(bc_snapshot)
    return Learned(
        {"PPO (curriculum)": ppo, "BC": bc_only, "BC then PPO": bc},
        [ppo_curve, fine_curve],
        losses,
        walks,
        seconds,
        stages,
    )
