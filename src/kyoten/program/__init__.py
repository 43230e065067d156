"""The program's rules as dated data, and the engine that checks a plan against them."""
