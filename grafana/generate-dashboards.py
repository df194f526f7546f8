#!/usr/bin/env python3
"""Generates grafana/dashboards/*.json (the committed files are what Grafana provisions).

Edit the panel lists below, run `grafana/generate-dashboards.py`, commit both. scripts/check-dashboards
checks the JSON files themselves, not this generator. Stdlib only.
"""
import builtins
import json
import os

DS = {"type": "prometheus", "uid": "fleetpulse-prometheus"}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards")
PRICE = 1.49  # USD per GPU-hour, the collector's default (report.gpuHourPrice)


class Board:
    def __init__(self, uid, title, variables):
        self.uid, self.title, self.variables = uid, title, variables
        self.panels, self.next_id, self.x, self.y, self.row_h = [], 1, 0, 0, 0

    def row(self, title):
        self._newline()
        self.panels.append({"id": self._id(), "type": "row", "title": title, "collapsed": False,
                            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}, "panels": []})
        self.y += 1

    def _newline(self):
        if self.x:
            self.y += self.row_h
            self.x, self.row_h = 0, 0

    def _id(self):
        i = self.next_id
        self.next_id += 1
        return i

    def panel(self, kind, title, targets, w=12, h=8, unit=None, description=None, min=None, max=None,
              thresholds=None, options=None):
        if self.x + w > 24:
            self._newline()
        defaults = {}
        if unit:
            defaults["unit"] = unit
        if min is not None:
            defaults["min"] = min
        if max is not None:
            defaults["max"] = max
        if thresholds:
            defaults["thresholds"] = {"mode": "absolute", "steps": [
                {"color": c, "value": v} for v, c in thresholds]}
        p = {"id": self._id(), "type": kind, "title": title, "datasource": DS,
             "gridPos": {"x": self.x, "y": self.y, "w": w, "h": h},
             "fieldConfig": {"defaults": defaults, "overrides": []},
             "options": options or {},
             "targets": [dict({"refId": chr(ord("A") + i), "datasource": DS}, **t)
                         for i, t in enumerate(targets)]}
        if description:
            p["description"] = description
        if kind == "table":
            for t in p["targets"]:
                t.setdefault("instant", True)
                t.setdefault("format", "table")
        self.panels.append(p)
        self.x += w
        self.row_h = builtins.max(self.row_h, h)

    def json(self):
        return {
            "uid": self.uid, "title": self.title, "tags": ["fleetpulse"], "editable": True,
            "schemaVersion": 39, "version": 1, "timezone": "utc", "refresh": "30s",
            "time": {"from": "now-24h", "to": "now"}, "graphTooltip": 1,
            "annotations": {"list": []}, "links": [{"type": "dashboards", "tags": ["fleetpulse"],
                                                   "asDropdown": True, "title": "FleetPulse"}],
            "templating": {"list": self.variables}, "panels": self.panels,
        }


def var(name, label, query, regex_all=".*"):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "definition": query, "refresh": 2, "includeAll": True, "multi": True,
            "allValue": regex_all, "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
            "sort": 1}


NODE = var("node", "Node", "label_values(fleet_node_up, node)")
SERVICE = var("service", "Service", "label_values(fleet_service_up, service)")
SERVER = var("server", "MCP server", "label_values(fleet_mcp_up, server)")
T = lambda expr, legend=None, **kw: dict({"expr": expr, "legendFormat": legend or "__auto"}, **kw)
PCT_T = [(None, "red"), (0.95, "orange"), (0.99, "green")]
GPU_T = [(None, "red"), (0.6, "orange"), (0.85, "green")]


def fleet_overview():
    b = Board("fleetpulse-overview", "FleetPulse / Fleet overview", [NODE, SERVICE])
    b.row("Targets vs actuals")
    b.panel("stat", "Service availability 30d (mean)", [T('fleet_service_availability_fleet_ratio{window="30d",aggregation="mean"}', "collector")], w=6, h=5, unit="percentunit", thresholds=PCT_T,
            description="Collector's time-weighted value; target fleet_slo_target_ratio{slo=\"availability\"} (99 %).")
    b.panel("stat", "MCP uptime 30d (mean)", [T('fleet_mcp_uptime_fleet_ratio{window="30d"}', "collector")], w=6, h=5, unit="percentunit", thresholds=PCT_T)
    b.panel("stat", "GPU efficiency 24h", [T('fleet_gpu_efficiency_ratio{window="24h"}', "collector")], w=6, h=5, unit="percentunit", thresholds=GPU_T)
    b.panel("stat", "Nodes up", [T("sum(fleet_node_up)", "up"), T("count(fleet_node_up)", "total")], w=6, h=5)
    b.panel("table", "SLO targets", [T("fleet_slo_target_ratio", "{{slo}}")], w=8, h=7, unit="percentunit")
    b.panel("timeseries", "Availability vs target (Prometheus SLI)", [
        T("fleet:service_availability_fleet:ratio1h", "services 1h (mean)"),
        T("fleet:mcp_availability_fleet:ratio1h", "MCP 1h (mean)"),
        T('fleet_slo_target_ratio{slo="availability"}', "target")], w=16, h=7, unit="percentunit", max=1)
    b.row("Error budgets and burn rates")
    b.panel("bargauge", "Error budget remaining (collector, 30d)", [T("fleet_slo_error_budget_remaining_ratio", "{{slo}} {{name}}")], w=12, h=10, unit="percentunit", min=0, max=1,
            thresholds=[(None, "red"), (0.25, "orange"), (0.5, "green")])
    b.panel("timeseries", "Burn rate by service (1h, Prometheus)", [T('fleet:service_burn_rate:rate1h{service=~"$service"}', "{{service}}")], w=12, h=10,
            description="1 = consuming the budget exactly over 30 days; page threshold 14.4 (1h) / 6 (6h).")
    b.panel("timeseries", "Burn rate (collector)", [T("fleet_slo_burn_rate", "{{slo}} {{name}} {{window}}")], w=12, h=8)
    b.panel("table", "Error budget remaining by service (Prometheus, 30d)", [T('fleet:service_error_budget_remaining:ratio30d{service=~"$service"}', "{{service}}")], w=12, h=8, unit="percentunit")
    b.row("Fleet")
    b.panel("stat", "Services up", [T('sum(fleet_service_up{service=~"$service"})', "up"), T('count(fleet_service_up{service=~"$service"})', "total")], w=6, h=5)
    b.panel("stat", "MCP servers up", [T("sum(fleet_mcp_up)", "up"), T("count(fleet_mcp_up)", "total")], w=6, h=5)
    b.panel("stat", "GPUs", [T('count(fleet_gpu_info{node=~"$node"})', "GPUs")], w=6, h=5)
    b.panel("stat", "GPU memory total", [T('sum(fleet_gpu_memory_total_bytes{node=~"$node"})', "HBM")], w=6, h=5, unit="bytes")
    b.panel("table", "Firing FleetPulse alerts", [T('ALERTS{alertstate="firing"}', "{{alertname}}")], w=24, h=6,
            description="Needs the alert rules loaded in Prometheus.")
    return b


def gpu():
    b = Board("fleetpulse-gpu", "FleetPulse / GPU utilisation", [NODE])
    n = 'node=~"$node"'
    b.row("Efficiency")
    b.panel("timeseries", "GPU busy per GPU (SM activity, else utilization)", [T(f"fleet:gpu_busy:ratio{{{n}}}", "{{node}} gpu{{gpu}}"), T('vector(0.85)', "target 85 %")], w=12, unit="percentunit", min=0, max=1)
    b.panel("timeseries", "Efficiency per node (1h and 1d means)", [T(f"fleet:gpu_node_efficiency:ratio1h{{{n}}}", "{{node}} 1h"), T(f"fleet:gpu_node_efficiency:ratio1d{{{n}}}", "{{node}} 1d"), T("vector(0.85)", "target 85 %")], w=12, unit="percentunit", min=0, max=1)
    b.panel("stat", "Fleet efficiency (collector)", [T("fleet_gpu_efficiency_ratio", "{{window}}")], w=8, h=5, unit="percentunit", thresholds=GPU_T)
    b.panel("bargauge", "Node efficiency 24h (collector)", [T(f'fleet_gpu_node_efficiency_ratio{{{n},window="24h"}}', "{{node}}")], w=8, h=5, unit="percentunit", min=0, max=1, thresholds=GPU_T)
    b.panel("stat", "Idle cost per month (at current 1d efficiency)", [T(f"sum(1 - fleet:gpu_busy:ratio_avg1d{{{n}}}) * {PRICE} * 730", "USD/month")], w=8, h=5, unit="currencyUSD",
            description=f"(1 - busy ratio) x {PRICE} USD per GPU-hour x 730 h; the price is the collector's default.")
    b.panel("timeseries", "Utilization vs SM activity", [T(f"fleet_gpu_utilization_ratio{{{n}}}", "{{node}} util"), T(f"fleet_gpu_sm_active_ratio{{{n}}}", "{{node}} SM active")], w=24, unit="percentunit", min=0, max=1)
    b.row("Memory, power, temperature")
    b.panel("timeseries", "Memory used", [T(f"fleet_gpu_memory_used_bytes{{{n}}}", "{{node}} gpu{{gpu}}")], w=8, unit="bytes")
    b.panel("timeseries", "Memory used ratio", [T(f"fleet:gpu_memory_used:ratio{{{n}}}", "{{node}} gpu{{gpu}}")], w=8, unit="percentunit", min=0, max=1)
    b.panel("timeseries", "Memory by service", [T(f"sum by (node, service) (fleet_gpu_process_memory_bytes{{{n}}})", "{{node}} {{service}}")], w=8, unit="bytes")
    b.panel("timeseries", "Power vs limit", [T(f"fleet_gpu_power_watts{{{n}}}", "{{node}} power"), T(f"fleet_gpu_power_limit_watts{{{n}}}", "{{node}} limit")], w=8, unit="watt")
    b.panel("timeseries", "Energy per hour", [T(f"increase(fleet_gpu_energy_joules_total{{{n}}}[1h]) / 3600", "{{node}} mean W (1h)")], w=8, unit="watt")
    b.panel("timeseries", "Temperature", [T(f"fleet_gpu_temperature_celsius{{{n}}}", "{{node}} gpu{{gpu}}")], w=8, unit="celsius",
            thresholds=[(None, "green"), (85, "red")])
    b.panel("timeseries", "Clocks", [T(f"fleet_gpu_clock_hertz{{{n}}}", "{{node}} {{clock}}")], w=12, unit="hertz")
    b.row("Health")
    b.panel("timeseries", "Throttle reasons (1 = active)", [T(f"fleet_gpu_throttle_reason{{{n}}}", "{{node}} {{reason}}")], w=12, min=0, max=1)
    b.panel("timeseries", "XID errors (increase over 1h)", [T(f"increase(fleet_gpu_xid_errors_total{{{n}}}[1h])", "{{node}} xid {{xid}}")], w=12,
            description="Critical XIDs: 48, 62, 64, 74, 79, 95, 119, 120.")
    b.panel("table", "GPU health state", [T(f"fleet_gpu_health{{{n}}} == 1", "{{node}} {{state}}")], w=8, h=7)
    b.panel("table", "ECC errors", [T(f"fleet_gpu_ecc_errors_total{{{n}}}", "{{node}} {{type}} {{counter}}")], w=8, h=7)
    b.panel("table", "Remapped-row failure", [T(f"fleet_gpu_remapped_rows_failure{{{n}}}", "{{node}}")], w=8, h=7)
    b.panel("table", "GPU inventory", [T(f"fleet_gpu_info{{{n}}}", "{{node}}")], w=24, h=7)
    return b


def services():
    b = Board("fleetpulse-services", "FleetPulse / Services & MCP", [NODE, SERVICE, SERVER])
    s, m = 'service=~"$service"', 'server=~"$server"'
    b.row("Services")
    b.panel("table", "Service availability per window (collector)", [T(f"fleet_service_availability_ratio{{{s}}}", "{{service}} {{window}}")], w=12, h=9, unit="percentunit")
    b.panel("timeseries", "Service up", [T(f"fleet_service_up{{{s}}}", "{{service}}")], w=12, h=9, min=0, max=1)
    b.panel("timeseries", "Error ratio (gauge SLI) 1h / 6h / 1d", [T(f"fleet:service_error_ratio:rate1h{{{s}}}", "{{service}} 1h"), T(f"fleet:service_error_ratio:rate6h{{{s}}}", "{{service}} 6h"), T(f"fleet:service_error_ratio:rate1d{{{s}}}", "{{service}} 1d")], w=12, unit="percentunit")
    b.panel("timeseries", "Error ratio (observed seconds) 1h / 1d", [T(f"fleet:service_observed_error_ratio:rate1h{{{s}}}", "{{service}} 1h"), T(f"fleet:service_observed_error_ratio:rate1d{{{s}}}", "{{service}} 1d")], w=12, unit="percentunit")
    b.panel("timeseries", "Observed time by state", [T(f"sum by (service, state) (rate(fleet_service_observed_seconds_total{{{s}}}[$__rate_interval]))", "{{service}} {{state}}")], w=12, unit="percentunit",
            description="Seconds observed per second, by state (up/down/no_data).")
    b.panel("timeseries", "Replicas by state", [T(f"fleet_service_replicas{{{s}}}", "{{service}} {{state}}")], w=12)
    b.panel("timeseries", "Replica up per node", [T(f'fleet_service_replica_up{{{s},node=~"$node"}}', "{{service}} @ {{node}}")], w=12, min=0, max=1)
    b.panel("timeseries", "Restarts (increase over 1h)", [T(f'increase(fleet_service_restarts_total{{{s},node=~"$node"}}[1h])', "{{service}} @ {{node}}")], w=12)
    b.panel("table", "Service facts", [T(f"fleet_service_healthcheck_configured{{{s}}}", "health check"), T(f"fleet_service_manager_only{{{s}}}", "manager only"),
                                      T(f"fleet_service_desired_replicas{{{s}}}", "desired"), T(f"fleet_service_running_replicas{{{s}}}", "running")], w=12, h=9)
    b.panel("table", "Swarm nodes ready", [T("fleet_swarm_node_ready", "{{node}} {{role}}")], w=12, h=9)
    b.row("MCP servers")
    b.panel("table", "MCP uptime per window (collector)", [T(f"fleet_mcp_uptime_ratio{{{m}}}", "{{server}} {{window}}")], w=12, h=10, unit="percentunit")
    b.panel("timeseries", "MCP error ratio (gauge SLI) 1h / 1d", [T(f"fleet:mcp_error_ratio:rate1h{{{m}}}", "{{server}} 1h"), T(f"fleet:mcp_error_ratio:rate1d{{{m}}}", "{{server}} 1d")], w=12, h=10, unit="percentunit")
    b.panel("timeseries", "MCP probe latency (last probe)", [T(f"fleet_mcp_probe_duration_seconds{{{m}}}", "{{server}}")], w=12, unit="s")
    b.panel("timeseries", "MCP probe failures by result", [T(f'sum by (server, result) (increase(fleet_mcp_probes_total{{{m},result!="ok"}}[1h]))', "{{server}} {{result}}")], w=12)
    b.panel("timeseries", "MCP probes by result (rate)", [T(f"sum by (result) (rate(fleet_mcp_probes_total{{{m}}}[$__rate_interval]))", "{{result}}")], w=12, unit="reqps")
    b.panel("timeseries", "MCP server restarts (session re-initialised, 1h)", [T(f"increase(fleet_mcp_server_restarts_total{{{m}}}[1h])", "{{server}}")], w=12)
    b.panel("table", "MCP servers", [T(f"fleet_mcp_info{{{m}}}", "{{server}}"), T(f"fleet_mcp_up{{{m}}}", "{{server}}")], w=24, h=9)
    b.row("Endpoints")
    b.panel("timeseries", "Endpoint up", [T("fleet_probe_up", "{{target}} ({{kind}})")], w=8, min=0, max=1)
    b.panel("timeseries", "Endpoint probe latency", [T("fleet_probe_duration_seconds", "{{target}} ({{kind}})")], w=8, unit="s")
    b.panel("timeseries", "Endpoint probes by result (1h)", [T("sum by (target, result) (increase(fleet_probes_total[1h]))", "{{target}} {{result}}")], w=8)
    return b


def pipeline():
    b = Board("fleetpulse-pipeline", "FleetPulse / Agents & pipeline", [NODE])
    n = 'node=~"$node"'
    b.row("Agents")
    b.panel("timeseries", "Node up", [T(f"fleet_node_up{{{n}}}", "{{node}}")], w=12, min=0, max=1)
    b.panel("timeseries", "Seconds since last push", [T(f"time() - fleet_agent_last_push_timestamp_seconds{{{n}}}", "{{node}}")], w=12, unit="s")
    b.panel("timeseries", "Ingest lag (sample time to ingest)", [T(f"fleet_collector_ingest_lag_seconds{{{n}}}", "{{node}}")], w=12, unit="s")
    b.panel("timeseries", "Sources up", [T(f"fleet_source_up{{{n}}}", "{{node}} {{source}}")], w=12, min=0, max=1)
    b.row("Buffers")
    b.panel("timeseries", "Buffered batches", [T(f"fleet_agent_buffer_batches{{{n}}}", "{{node}}")], w=8)
    b.panel("timeseries", "Buffer size", [T(f"fleet_agent_buffer_bytes{{{n}}}", "{{node}}")], w=8, unit="bytes")
    b.panel("timeseries", "Oldest unsent batch age", [T(f"fleet_agent_oldest_unsent_age_seconds{{{n}}}", "{{node}}")], w=8, unit="s")
    b.row("Losses")
    b.panel("timeseries", "Dropped batches (increase over 1h)", [T(f"sum by (node, reason) (increase(fleet_agent_dropped_batches_total{{{n}}}[1h]))", "{{node}} {{reason}}")], w=12)
    b.panel("timeseries", "Sequence gaps (increase over 1h)", [T(f"increase(fleet_collector_sequence_gaps_total{{{n}}}[1h])", "{{node}}")], w=12)
    b.row("Collector")
    b.panel("timeseries", "Ingested batches by result", [T("sum by (result) (rate(fleet_collector_ingested_batches_total[$__rate_interval]))", "{{result}}")], w=12, unit="reqps")
    b.panel("timeseries", "Collector scrape up", [T('up{job="fleetpulse-collector"}', "{{instance}}")], w=12, min=0, max=1)
    return b


def migration():
    b = Board("fleetpulse-migration", "FleetPulse / Docker -> K3s migration", [NODE, SERVICE])
    s = 'service=~"$service"'
    b.row("Migration")
    b.panel("stat", "HA-ready services", [T("sum(fleet_service_ha_ready)", "HA-ready"), T("count(fleet_service_ha_ready)", "services")], w=6, h=6,
            description="Services meeting every HA fact (Kubernetes: workload facts; Docker/Swarm: 2+ replicas up on 2+ nodes with a health check).")
    b.panel("table", "Replicas per service and backend (live)", [T(f"fleet_service_backend_replicas{{{s}}}", "{{service}} {{backend}}"), T(f"fleet_service_backend_replicas_up{{{s}}}", "{{service}} {{backend}} up")], w=18, h=6)
    b.panel("timeseries", "Replicas up by backend", [T(f"sum by (service, backend) (fleet_service_backend_replicas_up{{{s}}})", "{{service}} {{backend}}")], w=12)
    b.panel("timeseries", "Share of time with a replica up, by backend (1d)", [T(f"avg_over_time((max by (service, backend) (fleet_service_backend_replicas_up{{{s}}}) > bool 0)[1d:1m])", "{{service}} {{backend}}")], w=12, unit="percentunit", min=0, max=1,
            description="Prometheus-side view per backend: the share of scraped minutes in which the backend had at least one replica of the service up. The service's availability (both backends together, against minHealthyReplicas) is the collector's fleet_service_availability_ratio.")
    b.panel("table", "Service availability per window (both backends, collector)", [T(f"fleet_service_availability_ratio{{{s}}}", "{{service}} {{window}}")], w=12, h=9, unit="percentunit")
    b.panel("table", "HA readiness per service", [T(f"fleet_service_ha_ready{{{s}}}", "{{service}}")], w=12, h=9, min=0, max=1)
    b.row("Kubernetes workloads")
    b.panel("timeseries", "Workload replicas (ready vs desired)", [T('fleet_k8s_workload_replicas{state=~"ready|desired"}', "{{namespace}}/{{workload}} {{state}}")], w=12)
    b.panel("table", "Workload HA facts", [T("fleet_k8s_workload_ha_ready", "{{namespace}}/{{workload}} ha"), T("fleet_k8s_workload_ready_nodes", "{{namespace}}/{{workload}} nodes"), T("fleet_k8s_workload_rollout_failed", "{{namespace}}/{{workload}} rollout failed")], w=12)
    b.panel("timeseries", "Rollout failures (increase over 1d)", [T("increase(fleet_k8s_rollout_failures_total[1d])", "{{namespace}}/{{workload}}")], w=12)
    b.panel("timeseries", "Crash-looping pods", [T(f'fleet_k8s_pods_crashlooping{{{s},node=~"$node"}}', "{{service}} @ {{node}}")], w=12)
    b.panel("timeseries", "Container restarts and OOM kills (increase over 1h)", [T(f"increase(fleet_k8s_container_restarts_total{{{s}}}[1h])", "{{service}} restarts"), T(f"increase(fleet_k8s_oom_kills_total{{{s}}}[1h])", "{{service}} OOM kills")], w=12)
    b.panel("timeseries", "Waiting containers by reason", [T(f'sum by (service, reason) (fleet_k8s_containers_waiting{{{s},node=~"$node"}})', "{{service}} {{reason}}")], w=12)
    b.row("Kubernetes nodes")
    b.panel("table", "Nodes", [T('fleet_k8s_node_ready{node=~"$node"}', "{{node}} ready"), T('fleet_k8s_node_unschedulable{node=~"$node"}', "{{node}} cordoned"), T('fleet_k8s_node_allocatable_gpus{node=~"$node"}', "{{node}} GPUs")], w=12, h=9)
    b.panel("timeseries", "Node pressure", [T('fleet_k8s_node_pressure{node=~"$node"}', "{{node}} {{condition}}")], w=12, h=9, min=0, max=1)
    return b


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in [("fleet-overview", fleet_overview), ("gpu-utilisation", gpu),
                     ("services-mcp", services), ("agents-pipeline", pipeline),
                     ("migration", migration)]:
        with open(os.path.join(OUT, name + ".json"), "w") as fh:
            json.dump(fn().json(), fh, indent=2)
            fh.write("\n")


if __name__ == "__main__":
    main()
