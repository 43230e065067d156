"""The program's rules as dated data, and the engine that checks a plan against them.

>>> from kyoten.program import load_program, evaluate, Plan
>>> load_program("wpi").annual_grant_cap("multiple_host", 2023, 2024).value
1000000000
"""

from kyoten.program.engine import evaluate
from kyoten.program.plan import Plan, load_plan, parse_plan_text, plan_from_data
from kyoten.program.rulebook import Program, Requirement, RuleValue, Source, load_program
from kyoten.program.verdict import Finding, Status, Verdict

__all__ = [
    "Finding",
    "Plan",
    "Program",
    "Requirement",
    "RuleValue",
    "Source",
    "Status",
    "Verdict",
    "evaluate",
    "load_plan",
    "load_program",
    "parse_plan_text",
    "plan_from_data",
]
