"""The demo county's hazards (to be written)."""


def run_demo(seed: int = 0) -> tuple[str, list[str]]:
    return "Hazards: none yet.", []
