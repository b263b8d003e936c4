EXAMPLES: dict[str, tuple[object, object]] = {}
