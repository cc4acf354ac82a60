"""The command line's words and order: global options before or after the command, every word translated."""

from __future__ import annotations

import argparse

import pytest

from tlsdoctor.cli import main, split_command


@pytest.mark.parametrize(
    ("argv", "command", "rest"),
    [
        (["--lang", "zh", "demo"], "demo", ["--lang", "zh"]),
        (["demo", "--lang", "zh"], "demo", ["--lang", "zh"]),
        (["--lang=zh", "demo", "--list"], "demo", ["--list", "--lang=zh"]),
        (["--timeout", "3", "check", "example.com"], "check", ["example.com", "--timeout", "3"]),
        (["--redact", "kb", "TLS-1002"], "kb", ["TLS-1002", "--redact"]),
    ],
)
def test_global_options_go_before_or_after_the_command(argv: list[str], command: str, rest: list[str]) -> None:
    assert split_command(argv) == (command, rest)


@pytest.mark.parametrize(
    "argv",
    [
        ["demo.example.com"],  # a host, not the demo
        ["--", "demo"],  # after -- every word is a target
        ["--nameserver", "demo", "example.com"],  # "demo" is --nameserver's value
        ["example.com", "demo"],  # only the first positional word can be a command
    ],
)
def test_a_word_that_is_not_in_command_position_is_a_target(argv: list[str]) -> None:
    assert split_command(argv)[0] is None


def test_lang_before_the_command_reaches_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh", "kb", "TLS-1002", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "原因：" in out and "Why:" not in out


def test_kb_text_in_english_keeps_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "TLS-1002", "--format", "text"]) == 0
    assert "Why:" in capsys.readouterr().out


def test_argparse_errors_are_translated_and_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh", "inspect"]) == 2  # --cert and --host are required
    err = capsys.readouterr().err
    assert "缺少以下参数" in err and "required" not in err and err.count("\n") == 1


def test_bad_input_from_the_target_parser_is_translated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "exa mple.com", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert "含有空格或控制字符" in err and err.count("\n") == 1


def test_help_is_translated_and_argparse_is_left_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "check", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "显示此帮助信息并退出" in out and "输出格式" in out
    # the patch is undone: other users of argparse in this process speak English again
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: ")
