"""The demo county's monitoring points, readings and one warning in progress."""


def run_demo(seed: int = 1):
    return {}, []
