@echo off
rem The project's one entry point on Windows, the twin of ./run. Sets itself up on first use (a
rem virtual environment in .venv with the packages of pyproject.toml, made with the Python
rem launcher `py -3`), then runs the package's own command, the same on every system:
rem   run.cmd build        build everything (site, DOCX, PDF, both languages) into build\
rem   run.cmd serve        live preview of the site for editors (http://127.0.0.1:8000)
rem   run.cmd check        list every problem in the sources, as path:line: message
rem   run.cmd test         run the tests
rem   run.cmd --help       every command (translated, report, site, clean, redline, xliff, import-docx, bench)
setlocal
cd /d "%~dp0"
set "VENV=.venv"
set "PY=%VENV%\Scripts\python.exe"

if not exist "%PY%" (
  py -3 -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>nul
  if errorlevel 1 (
    echo run: Python 3.11 or newer is needed: install it from python.org ^(with the py launcher^) 1>&2
    exit /b 1
  )
  echo run: creating the virtual environment in %VENV% 1>&2
  py -3 -m venv "%VENV%" || exit /b 1
)

rem Reinstall only when pyproject.toml changed since the last install.
"%PY%" -c "import os, sys; s = os.path.join('.venv', '.installed'); sys.exit(0 if os.path.exists(s) and os.path.getmtime('pyproject.toml') <= os.path.getmtime(s) else 1)"
if errorlevel 1 (
  echo run: installing the project and its packages ^(first run only^) 1>&2
  "%PY%" -m pip install --quiet --disable-pip-version-check -e ".[test]" || exit /b 1
  type nul > "%VENV%\.installed"
)

"%PY%" -m wcoreport %*
exit /b %ERRORLEVEL%
