"""Shim for tools that want a setup.py (Beam's ``--setup_file``, ``python setup.py sdist``).

Everything — name, version, dependencies, packages, package data — lives in pyproject.toml;
setuptools reads it from there. Do not add arguments here.
"""
from setuptools import setup

setup()
