"""Deterministic demo exports for every source of the landing contract.

``generate_demo_exports(landing_dir)`` writes a few hundred accounts' worth of realistic,
cross-linked exports (web events, e-mail, ads, forms, meetings, documents, webinars, calls,
CRM, content catalog) that end at a fixed reference date, so the same seed always gives the
same bytes. See ``python -m orchestration.demo_data --help``.
"""

from orchestration.demo_data.generate import GenerationReport, generate, generate_demo_exports

__all__ = ["GenerationReport", "generate", "generate_demo_exports"]
