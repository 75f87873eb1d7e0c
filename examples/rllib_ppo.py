"""RLlib PPO (new API stack) on the tutorial curriculum, invalid menu slots masked in the RL module.

Each env runner builds the menu + features stack behind a curriculum over the tutorial family
(difficulty 1, then 1-2, then 1-3, moving up when 70% of its last 40 episodes passed) and hands
RLlib a Dict observation: ``observations`` (hashed text features) and ``action_mask`` (the
menu's valid slots). :class:`MaskedPPOModule` is PPO's default torch module over the features
whose logits for invalid slots are pushed to the float minimum, so sampling, training and
greedy play never pick them: RLlib's own way (an action-masking RLModule), not a penalty.

Every ``--every`` iterations it plays the trained policy greedily on a fixed set of (task, seed)
pairs per difficulty and prints the success rate next to a random menu agent's on the same
pairs: the learning curve. Needs ``pip install -e '.[ray,rl]'`` (RLlib and torch).

    python examples/rllib_ppo.py [--iterations 20] [--address HOST:PORT]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import gymnasium as gym
import numpy as np

DIM = 64
# menu blocks for the services of the tutorial worlds (a smaller Discrete space learns faster)
SERVICES = ["calendar", "chat", "contacts", "events", "mail", "notes", "todo", "workmail"]
FAMILY = "tutorial-todo"


class MaskInObservation(gym.ObservationWrapper):
    """Put the menu's mask into the observation, where an RLModule can read it."""

    def __init__(self, env: gym.Env) -> None:
        super().__init__(env)
        n = int(env.action_space.n)
        self.observation_space = gym.spaces.Dict(
            {
                "observations": env.observation_space,
                "action_mask": gym.spaces.Box(0.0, 1.0, (n,), np.float32),
            }
        )

    def observation(self, observation: np.ndarray) -> dict[str, np.ndarray]:
        mask = self.env.get_wrapper_attr("action_masks")().astype(np.float32)
        return {"observations": observation, "action_mask": mask}


STEPS_KEY = "num_env_steps_sampled_lifetime"  # in the result, or under its env_runners


def make_env(config: dict[str, Any] | None = None) -> gym.Env:
    """The env of one RLlib env runner (a separate process: it installs the tutorial family itself)."""
    import claw_gym  # noqa: F401  (registers the suite's envs)
    from claw_gym.wrappers import Curriculum, make_rl_env, tutorial

    tutorial.install()
    config = dict(config or {})
    curriculum = None
    if config.get("curriculum", True):
        curriculum = Curriculum.by_difficulty([FAMILY], max_difficulty=3, split="tutorial", window=40, threshold=0.7)
    env = make_rl_env("ClawTutorial-v0", dim=DIM, curriculum=curriculum, menu_kwargs={"services": SERVICES})
    return MaskInObservation(env)


def masked_module_class() -> type:
    """Defined on demand: RLlib and torch are imported only when training."""
    import torch
    from ray.rllib.algorithms.ppo.torch.default_ppo_torch_rl_module import (
        DefaultPPOTorchRLModule,
    )
    from ray.rllib.core.columns import Columns
    from ray.rllib.utils.torch_utils import FLOAT_MIN

    def split(batch: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """(mask, the batch with plain features as its observations); the input batch is not changed."""
        obs = batch[Columns.OBS]
        return obs["action_mask"], {**batch, Columns.OBS: obs["observations"]}

    def masked(out: dict[str, Any], mask: Any) -> dict[str, Any]:
        out[Columns.ACTION_DIST_INPUTS] = out[Columns.ACTION_DIST_INPUTS] + torch.clamp(torch.log(mask), min=FLOAT_MIN)
        return out

    class MaskedPPOModule(DefaultPPOTorchRLModule):
        """PPO's torch module built for the features; the mask only ever lowers invalid logits."""

        def __init__(self, *, observation_space: gym.spaces.Dict | None = None, **kwargs: Any) -> None:
            if not isinstance(observation_space, gym.spaces.Dict) or "action_mask" not in observation_space.spaces:
                raise ValueError("MaskedPPOModule needs a Dict observation with 'observations' and 'action_mask'")
            self._with_mask = observation_space
            super().__init__(observation_space=observation_space["observations"], **kwargs)

        def setup(self) -> None:
            super().setup()  # networks sized for the features ...
            self.observation_space = self._with_mask  # ... while the module reports the space it is fed

        def _forward_inference(self, batch: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            mask, batch = split(batch)
            return masked(super()._forward_inference(batch, **kwargs), mask)

        def _forward_exploration(self, batch: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            mask, batch = split(batch)
            return masked(super()._forward_exploration(batch, **kwargs), mask)

        def _forward_train(self, batch: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            mask, batch = split(batch)
            return masked(super()._forward_train(batch, **kwargs), mask)

        def compute_values(self, batch: dict[str, Any], embeddings: Any = None) -> Any:
            if isinstance(batch[Columns.OBS], dict):
                _, batch = split(batch)
            return super().compute_values(batch, embeddings)

    return MaskedPPOModule


def build_algo(env_runners: int, seed: int) -> Any:
    """PPO with ``env_runners`` remote env runners, one env each, and the masked module."""
    from ray.rllib.algorithms.ppo import PPOConfig
    from ray.rllib.core.rl_module.rl_module import RLModuleSpec
    from ray.tune.registry import register_env

    register_env("claw_tutorial", make_env)
    config = (
        PPOConfig()
        .environment("claw_tutorial")
        .env_runners(num_env_runners=env_runners, num_envs_per_env_runner=1, num_cpus_per_env_runner=1)
        .training(
            train_batch_size_per_learner=512, minibatch_size=128, num_epochs=4, lr=1e-3, gamma=0.95, entropy_coeff=0.01
        )
        .rl_module(
            rl_module_spec=RLModuleSpec(module_class=masked_module_class(), model_config={"fcnet_hiddens": [64, 64]})
        )
        .debugging(seed=seed)
    )
    return config.build_algo()


def eval_sets(n: int) -> dict[str, tuple[list[str], list[int]]]:
    """Fixed (task, seed) pairs per difficulty, the same for every policy and iteration."""
    import claw_gym
    from claw_gym.wrappers import tutorial

    tutorial.install()
    rng = np.random.default_rng(1234)
    sets = {}
    for d in (1, 2, 3):
        pool = [s.task_id for s in claw_gym.catalog(family=FAMILY, difficulty=d, split="tutorial")]
        sets[f"d{d}"] = (
            [pool[int(rng.integers(len(pool)))] for _ in range(n)],
            [10_000 + 100 * d + i for i in range(n)],
        )
    return sets


def success(policy: Any, env: gym.Env, task_ids: list[str], seeds: list[int]) -> float:
    """Share of (task, seed) episodes ``policy(obs) -> slot`` passes."""
    wins = 0
    for task_id, seed in zip(task_ids, seeds):
        obs, info = env.reset(seed=seed, options={"task_id": task_id})
        done = False
        while not done:
            obs, _, terminated, truncated, info = env.step(policy(obs))
            done = terminated or truncated
        wins += bool(info.get("verdict", {}).get("passed"))
    return wins / len(task_ids)


def greedy(module: Any) -> Any:
    """The module's most likely valid slot (its masked logits' argmax)."""
    import torch
    from ray.rllib.core.columns import Columns

    def act(obs: dict[str, np.ndarray]) -> int:
        batch = {Columns.OBS: {k: torch.as_tensor(v)[None] for k, v in obs.items()}}
        with torch.no_grad():
            logits = module.forward_inference(batch)[Columns.ACTION_DIST_INPUTS]
        return int(logits[0].argmax())

    return act


def random_menu(seed: int) -> Any:
    rng = np.random.default_rng(seed)
    return lambda obs: int(rng.choice(np.flatnonzero(obs["action_mask"])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--every", type=int, default=5, help="evaluate every N iterations (and after the last)")
    parser.add_argument("--eval", type=int, default=40, help="episodes per difficulty in each evaluation")
    parser.add_argument("--env-runners", type=int, default=2)
    parser.add_argument("--address", default=None, help="join a running Ray cluster (default: a local Ray)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import ray
    import torch

    torch.set_num_threads(1)  # a small MLP: threads only contend on a shared CPU
    if args.address:
        ray.init(address=args.address, include_dashboard=False, logging_level="ERROR")
    else:
        ray.init(num_cpus=args.env_runners, include_dashboard=False, logging_level="ERROR")
    t0 = time.time()
    sets = eval_sets(args.eval)
    env = make_env({"curriculum": False})
    baseline = {name: success(random_menu(7), env, *pairs) for name, pairs in sets.items()}
    print(
        "random menu agent: "
        + ", ".join(f"{n} {r:.2f}" for n, r in baseline.items())
        + f" ({args.eval} episodes each)",
        flush=True,
    )
    algo = build_algo(args.env_runners, args.seed)
    rates: dict[str, float] = {}
    try:
        for it in range(1, args.iterations + 1):
            result = algo.train()
            runners = result.get("env_runners", {})
            line = (
                f"iter {it:3d}  train return {runners.get('episode_return_mean', float('nan')):.2f}"
                f"  steps {result.get(STEPS_KEY, runners.get(STEPS_KEY, 0))}"
            )
            if it % args.every == 0 or it == args.iterations:
                policy = greedy(algo.get_module())
                rates = {name: success(policy, env, *pairs) for name, pairs in sets.items()}
                line += "  eval " + ", ".join(f"{n} {r:.2f}" for n, r in rates.items())
            print(f"{line}  {time.time() - t0:.0f} s", flush=True)
    finally:
        algo.stop()
        ray.shutdown()
    print(
        "RESULT "
        + " ".join(f"{n}: ppo={rates[n]:.2f} random={baseline[n]:.2f}" for n in rates)
        + f" iterations={args.iterations} seconds={time.time() - t0:.0f}"
    )


if __name__ == "__main__":
    main()
