#!/usr/bin/python3
"""networkx reference for the actor projection of tests/data/graph/icews18_slice.tsv.

Reads the raw slice itself and applies the filters itself (independently of geokg): each row is
one event with the subject as initiator and the object as target; row i (0-based) has status
"reported" when i % 5 == 0, else "occurred"; its time is 2018-01-01T00:00Z + hours.
Request (JSON on stdin):
  {"slice": path, "t1": sec|null, "t2": sec|null, "code_prefix": "04", "statuses": ["occurred"],
   "dir": "both"|"out", "min_events": 1, "source": name, "target": name, "tasks": [...]}
Answer (JSON on stdout): per task, keyed by actor name.
"""
import json
import sys

import networkx as nx

EPOCH = 1514764800


def main():
    req = json.load(sys.stdin)
    directed = req.get("dir", "both") != "both"
    count, gold, first = {}, {}, {}
    actors = set()
    for i, line in enumerate(open(req["slice"], encoding="utf-8")):
        s, _rel, o, hours, code, g, _quad = line.rstrip("\n").split("\t")
        actors.add(s)
        actors.add(o)
        t = EPOCH + int(hours) * 3600
        status = "reported" if i % 5 == 0 else "occurred"
        if req.get("t1") is not None and t < req["t1"]:
            continue
        if req.get("t2") is not None and t > req["t2"]:
            continue
        if not code.startswith(req.get("code_prefix", "")):
            continue
        if req.get("statuses") and status not in req["statuses"]:
            continue
        if s == o:
            continue
        key = (s, o) if directed else tuple(sorted((s, o)))
        if req.get("dir") == "in":
            key = (o, s)
        count[key] = count.get(key, 0) + 1
        gold[key] = gold.get(key, 0.0) + float(g)
        first[key] = min(first.get(key, t), t)
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(actors)
    for key, c in count.items():
        if c >= req.get("min_events", 1):
            G.add_edge(*key, events=c, goldstein=gold[key] / c, first=first[key])
    out = {}
    src, dst = req.get("source"), req.get("target")
    for task in req["tasks"]:
        if task == "links":
            out["links"] = {b: [G[src][b]["events"], G[src][b]["goldstein"], G[src][b]["first"]]
                            for b in G.adj[src]}
        elif task == "bfs":
            out["bfs"] = nx.single_source_shortest_path_length(G, src)
        elif task == "ego2":
            out["ego2"] = sorted(nx.ego_graph(G, src, radius=2).nodes())
            out["ego2_edges"] = nx.ego_graph(G, src, radius=2).number_of_edges()
        elif task == "all_shortest":
            try:
                out["all_shortest"] = sorted(list(p) for p in nx.all_shortest_paths(G, src, dst))
            except nx.NetworkXNoPath:
                out["all_shortest"] = []
        elif task == "k_shortest":
            lens = []
            try:
                for p in nx.shortest_simple_paths(G, src, dst):
                    lens.append(len(p) - 1)
                    if len(lens) == req["k"]:
                        break
            except nx.NetworkXNoPath:
                pass
            out["k_shortest"] = lens
        elif task == "pagerank":
            out["pagerank"] = nx.pagerank(G, alpha=0.85, tol=1e-12, max_iter=10000, weight=None)
        elif task == "betweenness":
            out["betweenness"] = nx.betweenness_centrality(G, normalized=False)
        elif task == "components":
            comps = nx.weakly_connected_components(G) if directed else nx.connected_components(G)
            out["components"] = sorted(sorted(c) for c in comps)
        elif task == "degree":
            out["degree"] = dict(G.degree())
        else:
            raise SystemExit("unknown task " + task)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
