"""Shared helpers of the FleetPulse ops checks (scripts/check-rules, check-dashboards, check-dashboards-live).

Stdlib + PyYAML (Debian: python3, python3-yaml). No network.
"""
import glob
import json
import os
import re

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRACT = os.path.join(REPO, "prometheus", "metrics-contract.txt")
RULES_GLOB = os.path.join(REPO, "prometheus", "rules", "*.rules.yml")
DASHBOARDS_DIR = os.path.join(REPO, "grafana", "dashboards")
DATASOURCES_GLOB = os.path.join(REPO, "grafana", "provisioning", "datasources", "*.yaml")

KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan", "atan2", "start", "end"}
GRAFANA_DURATIONS = re.compile(r"\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}")
GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")


def contract_metrics(path=CONTRACT):
    """Metric names of the collector's contract (a trailing '?' marks an unconfirmed name)."""
    names = set()
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                names.add(line.split()[0].rstrip("?"))
    return names


def load_rule_files(pattern=RULES_GLOB):
    """[(path, group, rule)] for every rule of every rule file."""
    out = []
    for path in sorted(glob.glob(pattern)):
        with open(path) as fh:
            doc = yaml.safe_load(fh)
        for group in doc.get("groups", []):
            for rule in group.get("rules", []):
                out.append((path, group, rule))
    return out


def recorded_metrics(pattern=RULES_GLOB):
    return {r["record"] for _, _, r in load_rule_files(pattern) if "record" in r}


def known_metrics():
    """Names a query may reference: the contract, the recorded series, Prometheus' ALERTS."""
    return contract_metrics() | recorded_metrics() | {"ALERTS", "ALERTS_FOR_STATE"}


def substitute_grafana(expr, range_value="5m", variable_value="x"):
    """Replaces Grafana's built-in durations and template variables so the query is plain PromQL.

    Dashboards use variables only inside label matchers (node=~"$node") and $__rate_interval in ranges.
    """
    expr = GRAFANA_DURATIONS.sub(range_value, expr)
    return GRAFANA_VARIABLE.sub(variable_value, expr)


def metric_names(expr):
    """Metric names referenced by a PromQL expression (functions, keywords and labels excluded)."""
    s = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    names = set()
    # {__name__="x"} selectors name a metric too
    for m in re.finditer(r'__name__\s*=\s*"([^"]*)"', expr):
        names.add(m.group(1))
    s = re.sub(r"\{[^}]*\}", " ", s)
    s = re.sub(r"\[[^\]]*\]", " ", s)
    s = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", s)
    for m in re.finditer(r"(?<![\w:.])([a-zA-Z_:][\w:]*)", s):
        word = m.group(1)
        rest = s[m.end():].lstrip()
        if rest.startswith("("):
            continue  # function or aggregation
        if word.lower() in KEYWORDS:
            continue
        names.add(word)
    return names


def label_values_metric(query):
    """The metric of a Grafana `label_values(metric, label)` variable query, or None."""
    m = re.match(r"\s*label_values\(\s*([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?\s*,\s*\w+\s*\)\s*$", query)
    return m.group(1) if m else None


def provisioned_datasource_uids():
    uids = set()
    for path in glob.glob(DATASOURCES_GLOB):
        with open(path) as fh:
            doc = yaml.safe_load(fh)
        for ds in doc.get("datasources", []):
            uids.add(ds.get("uid"))
    return uids


def dashboard_files(directory=DASHBOARDS_DIR):
    return sorted(glob.glob(os.path.join(directory, "*.json")))


def iter_panels(dashboard):
    """Every panel, including those nested in collapsed rows."""
    for p in dashboard.get("panels", []):
        yield p
        for child in p.get("panels", []) or []:
            yield child


def panel_queries(dashboard):
    """[(panel, target)] for every PromQL target of a dashboard."""
    out = []
    for p in iter_panels(dashboard):
        for t in p.get("targets", []) or []:
            if "expr" in t:
                out.append((p, t))
    return out


def load_json(path):
    with open(path) as fh:
        return json.load(fh)
