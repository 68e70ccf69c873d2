"""Read docs/deploying.md's bootstrap the way an operator follows it: step by step, command by
command, so a rehearsal runs exactly the stack deploys and repository variables it shows."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.infra.repo import ROOT

RUNBOOK = ROOT / "docs" / "deploying.md"
BOOTSTRAP_HEADING = "## One-time bootstrap"
STEP_HEADING = re.compile(r"^### (?P<title>.+)$", re.MULTILINE)
BASH_BLOCK = re.compile(r"^```bash\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
OUT_CALL = re.compile(r"\$\(out (?P<stack>\S+) (?P<key>\S+)\)")
SHELL_VARIABLE = re.compile(r"\$\{?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}?")


@dataclass(frozen=True)
class Step:
    title: str
    commands: list[str]

    @property
    def optional(self) -> bool:
        return "(optional)" in self.title


@dataclass(frozen=True)
class StackDeploy:
    """One `aws cloudformation deploy` as the runbook writes it (values still unexpanded)."""

    stack: str
    template: str
    capabilities: tuple[str, ...]
    overrides: dict[str, str] = field(default_factory=dict)


def bootstrap_steps(text: str | None = None) -> list[Step]:
    """The `### N. …` steps of the bootstrap section, each with its shell commands."""
    text = RUNBOOK.read_text() if text is None else text
    section = text.split(BOOTSTRAP_HEADING, 1)[1].split("\n## ", 1)[0]
    titles = list(STEP_HEADING.finditer(section))
    steps = []
    for here, after in zip(titles, [*titles[1:], None], strict=True):
        body = section[here.end() : after.start() if after else len(section)]
        commands = [
            command
            for block in BASH_BLOCK.finditer(body)
            for command in _commands(block.group("body"))
        ]
        steps.append(Step(here.group("title"), commands))
    return steps


def _commands(script: str) -> list[str]:
    """Whole commands: continuation lines joined, comment-only lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", script)
    return [line.strip() for line in joined.splitlines() if line.strip() and not _comment(line)]


def _comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def stack_deploys(step: Step) -> list[StackDeploy]:
    deploys = []
    for command in step.commands:
        words = shlex.split(command, comments=True)
        if words[:3] != ["aws", "cloudformation", "deploy"]:
            continue
        options: dict[str, list[str]] = {}
        current = ""
        for word in words[3:]:
            if word.startswith("--"):
                current = word
                options[current] = []
            else:
                options[current].append(word)
        deploys.append(
            StackDeploy(
                stack=options["--stack-name"][0],
                template=options["--template-file"][0],
                capabilities=tuple(options.get("--capabilities", ())),
                overrides=dict(
                    pair.split("=", 1) for pair in options.get("--parameter-overrides", ())
                ),
            )
        )
    return deploys


def repository_variables(step: Step) -> dict[str, str]:
    """`gh variable set NAME --body VALUE` lines: NAME -> VALUE (unexpanded)."""
    variables = {}
    for command in step.commands:
        words = shlex.split(command, comments=True)
        if words[:3] == ["gh", "variable", "set"]:
            variables[words[3]] = words[words.index("--body") + 1]
    return variables


def output_reads(text: str | None = None) -> set[tuple[str, str]]:
    """Every (stack, output) the runbook reads with `out`, anywhere in it."""
    text = RUNBOOK.read_text() if text is None else text
    return {(m.group("stack"), m.group("key")) for m in OUT_CALL.finditer(text)}


def expand(
    value: str,
    shell: dict[str, str],
    out: Callable[[str, str], str],
    commands: dict[str, str] | None = None,
) -> str:
    """A value as the shell would expand it: $(out STACK KEY), the given $(command)s, and
    $NAME / ${NAME}. Anything else that needs a shell raises, so the rehearsal never guesses."""
    for command, result in (commands or {}).items():
        value = value.replace(f"$({command})", result)
    value = OUT_CALL.sub(lambda m: out(m.group("stack"), m.group("key")), value)
    value = SHELL_VARIABLE.sub(lambda m: shell[m.group("name")], value)
    if "$(" in value or "`" in value:
        raise ValueError(f"cannot expand {value!r} without a shell")
    return value
