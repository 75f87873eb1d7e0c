"""Ray RLlib: register the menu + features stack as an RLlib env (needs `pip install -e '.[ray]'`).

RLlib builds envs from a registered creator; the creator must import claw_gym itself because
workers are separate processes. Without Ray installed this script says so and exits.

    python examples/rllib_register.py
"""

from __future__ import annotations


def env_creator(config: dict | None = None):
    import claw_gym  # noqa: F401  (registers the envs in the worker process)
    from claw_gym.wrappers import make_rl_env

    config = dict(config or {})
    return make_rl_env(config.pop("env_id", "ClawAnything-v0"), dim=config.pop("dim", 128), **config)


def main() -> None:
    try:
        from ray.tune.registry import register_env
    except ImportError:
        print("ray is not installed (pip install -e '.[ray]'); the creator works without it:")
        env = env_creator()
        obs, info = env.reset(seed=0)
        print(f"  obs {obs.shape} {obs.dtype}, actions {env.action_space}, valid now {int(info['action_mask'].sum())}")
        return
    register_env("claw_gym_menu", env_creator)
    print("registered 'claw_gym_menu'; e.g. PPOConfig().environment('claw_gym_menu', env_config={'dim': 128})")


if __name__ == "__main__":
    main()
