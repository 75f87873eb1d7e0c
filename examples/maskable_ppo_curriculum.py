"""MaskablePPO (sb3-contrib) on an easy curriculum; prints its success rate vs a random menu agent.

The agent sees hashed text features and picks from the action menu (masked). The curriculum
starts on the tutorial family at difficulty 1 (one other open to-do), then adds harder
tutorial tasks and the suite's meeting-reschedule family as the success rate over the last
40 episodes reaches 0.7. Evaluation: the same tasks and seeds for the trained policy and
for uniform random choice among valid slots, per family and difficulty.

    pip install -e '.[rl]' && python examples/maskable_ppo_curriculum.py [--steps 12000]
"""

from __future__ import annotations

import argparse
import time

import gymnasium as gym
import numpy as np

import claw_gym
from claw_gym.wrappers import Curriculum, make_rl_env, tutorial
from claw_gym.wrappers.curriculum import sb3_callback

FAMILIES = ["tutorial-todo", "meeting-reschedule"]
# menu blocks for the services of these families' worlds (a smaller Discrete space learns faster)
SERVICES = ["calendar", "chat", "contacts", "events", "mail", "notes", "todo", "workmail"]


def evaluate(policy, task_ids: list[str], seeds: list[int]) -> float:
    """Success rate of ``policy(obs, mask) -> slot`` on (task, seed) pairs."""
    env = make_rl_env("ClawTutorial-v0", dim=64, menu_kwargs={"services": SERVICES})
    wins = 0
    for task_id, seed in zip(task_ids, seeds):
        obs, info = env.reset(seed=seed, options={"task_id": task_id})
        done, reward = False, 0.0
        while not done:
            action = policy(obs, env.get_wrapper_attr("action_masks")())
            obs, reward, terminated, truncated, info = env.step(action)
            done = terminated or truncated
        wins += reward > 0
    return wins / len(task_ids)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=12_000)
    parser.add_argument("--envs", type=int, default=4)
    parser.add_argument("--eval", type=int, default=60)
    args = parser.parse_args()

    import torch
    from sb3_contrib import MaskablePPO

    torch.set_num_threads(1)  # small MLP: threads only contend on a shared CPU
    from stable_baselines3.common.vec_env import DummyVecEnv

    tutorial.install()
    curriculum = Curriculum.by_difficulty(
        FAMILIES, max_difficulty=3, split=["tutorial", "train"], window=40, threshold=0.7
    )

    def make(rank: int):
        def thunk() -> gym.Env:
            return make_rl_env(
                "ClawTutorial-v0", dim=64, curriculum=curriculum, record=False, menu_kwargs={"services": SERVICES}
            )

        return thunk

    venv = DummyVecEnv([make(i) for i in range(args.envs)])
    venv.seed(0)
    model = MaskablePPO(
        "MlpPolicy",
        venv,
        n_steps=128,
        batch_size=128,
        n_epochs=4,
        learning_rate=1e-3,
        ent_coef=0.01,
        gamma=0.95,
        seed=0,
        verbose=0,
    )
    t0 = time.time()
    rng = np.random.default_rng(1234)
    suites = {}  # evaluation sets: fixed (task, seed) pairs per family and difficulty
    for k, (name, filters) in enumerate(
        [
            ("tutorial d1", {"family": "tutorial-todo", "difficulty": 1}),
            ("tutorial d3", {"family": "tutorial-todo", "difficulty": 3}),
            ("meeting d1-3", {"family": "meeting-reschedule", "difficulty": [1, 2, 3]}),
        ]
    ):
        pool = [s.task_id for s in claw_gym.catalog(**filters, split=["tutorial", "train"])]
        suites[name] = (
            [pool[int(rng.integers(len(pool)))] for _ in range(args.eval)],
            [10_000 + 100 * k + i for i in range(args.eval)],
        )
    rand = np.random.default_rng(7)
    random_rates = {
        name: evaluate(lambda obs, mask: int(rand.choice(np.flatnonzero(mask))), *suite)
        for name, suite in suites.items()
    }
    print(
        "random menu agent: "
        + ", ".join(f"{n} {r:.2f}" for n, r in random_rates.items())
        + f" ({args.eval} episodes each)"
    )
    checkpoints = sorted({args.steps // 8, args.steps // 4, args.steps // 2, args.steps})
    done_steps = 0
    for target in checkpoints:
        model.learn(target - done_steps, callback=sb3_callback(curriculum), reset_num_timesteps=False)
        done_steps = target
        rates = {
            name: evaluate(lambda obs, mask: int(model.predict(obs, action_masks=mask, deterministic=True)[0]), *suite)
            for name, suite in suites.items()
        }
        print(
            f"steps {target:6d}  "
            + ", ".join(f"{n} {r:.2f}" for n, r in rates.items())
            + f"  curriculum stage {curriculum.level + 1}/{len(curriculum.stages)}"
            f" (recent {curriculum.success_rate():.2f})  {time.time() - t0:.0f} s"
        )
    print(
        "RESULT "
        + " ".join(f"{n.replace(' ', '_')}: ppo={rates[n]:.2f} random={random_rates[n]:.2f}" for n in rates)
        + f" steps={args.steps}"
    )


if __name__ == "__main__":
    main()
