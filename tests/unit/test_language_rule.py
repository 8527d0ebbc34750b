"""CONTRACT §1 Language: --lang, else the profile file's wallet.language, else the locale,
else zh-CN."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from wizard.commands.common import ConfigError, choose_lang, load_profile_arg, locale_lang
from wizard.profile import default_profile, load_profile

LOCALE = ("LC_ALL", "LC_MESSAGES", "LANG")


def _locale(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-CN"),
        ({"LANG": "zh"}, "zh-CN"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "de_DE@euro"}, "en"),
        ({"LANG": "C.UTF-8"}, ""),
        ({"LANG": "C"}, ""),
        ({"LANG": "POSIX"}, ""),
        ({"LANG": ""}, ""),
        ({}, ""),
        # The first one set decides, as POSIX has it.
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN"),
        ({"LC_ALL": "", "LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN"}, "en"),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, ""),
    ],
)
def test_locale_names_a_language(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], lang: str
) -> None:
    _locale(monkeypatch, **env)
    assert locale_lang() == lang


def _args(lang: str | None = None, profile: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(lang=lang, profile=profile)


def test_without_a_profile_language_the_locale_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    _locale(monkeypatch, LANG="en_US.UTF-8")
    assert choose_lang(_args(), default_profile()) == "en"
    _locale(monkeypatch, LANG="zh_CN.UTF-8")
    assert choose_lang(_args(), default_profile()) == "zh-CN"


def test_with_no_locale_the_default_is_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    _locale(monkeypatch, LANG="C.UTF-8")
    assert choose_lang(_args(), default_profile()) == "zh-CN"
    _locale(monkeypatch)
    assert choose_lang(_args(), default_profile()) == "zh-CN"


def test_a_profile_file_that_sets_a_language_beats_the_locale(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "wallet.toml"
    path.write_text('[wallet]\nlanguage = "zh-CN"\n', encoding="utf-8")
    _locale(monkeypatch, LANG="en_US.UTF-8")
    assert choose_lang(_args(profile=str(path)), load_profile(path)) == "zh-CN"
    unset = tmp_path / "plain.toml"
    unset.write_text('[wallet]\nname = "A Wallet"\n', encoding="utf-8")
    assert load_profile(unset).wallet.language == ""
    assert choose_lang(_args(profile=str(unset)), load_profile_arg(_args(profile=str(unset)))) == (
        "en"
    )


def test_lang_beats_everything(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "wallet.toml"
    path.write_text('[wallet]\nlanguage = "zh-CN"\n', encoding="utf-8")
    _locale(monkeypatch, LANG="zh_CN.UTF-8")
    assert choose_lang(_args(lang="en"), load_profile(path)) == "en"
    with pytest.raises(ConfigError):
        choose_lang(_args(lang="fr"), load_profile(path))


def test_the_built_in_profile_sets_no_language() -> None:
    assert default_profile().wallet.language == ""
