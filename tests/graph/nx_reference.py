#!/usr/bin/python3
"""networkx reference answers for tests/graph/*_test.cc.

Reads a JSON request on stdin and prints a JSON answer on stdout. Request:
  {"n": N, "directed": bool, "edges": [[u, v], ...], "weights": [w, ...] (optional),
   "source": s, "target": t, "tasks": ["bfs", "pagerank", "components", "betweenness",
   "shortest", "all_shortest", "k_shortest", "dijkstra"], "k": K}
Vertices are 0..N-1. Parallel edges are kept (MultiDiGraph / MultiGraph) except where an algorithm
needs a simple graph (betweenness, path enumeration), which use the simple graph: for unweighted
hop counts parallel edges change nothing.
"""
import json
import sys

import networkx as nx


def main():
    req = json.load(sys.stdin)
    n = req["n"]
    directed = req["directed"]
    multi = nx.MultiDiGraph() if directed else nx.MultiGraph()
    simple = nx.DiGraph() if directed else nx.Graph()
    multi.add_nodes_from(range(n))
    simple.add_nodes_from(range(n))
    weights = req.get("weights")
    for i, (u, v) in enumerate(req["edges"]):
        multi.add_edge(u, v)
        w = weights[i] if weights else 1.0
        if simple.has_edge(u, v):
            w = min(w, simple[u][v]["weight"])
        simple.add_edge(u, v, weight=w)
    out = {}
    s = req.get("source", 0)
    t = req.get("target", 0)
    for task in req["tasks"]:
        if task == "bfs":
            d = nx.single_source_shortest_path_length(simple, s)
            out["bfs"] = [d.get(v, -1) for v in range(n)]
        elif task == "pagerank":
            pr = nx.pagerank(multi, alpha=0.85, tol=1e-12, max_iter=10000)
            out["pagerank"] = [pr[v] for v in range(n)]
        elif task == "components":
            comps = (nx.weakly_connected_components(simple) if directed
                     else nx.connected_components(simple))
            label = [0] * n
            for c in comps:
                m = min(c)
                for v in c:
                    label[v] = m
            out["components"] = label
        elif task == "betweenness":
            b = nx.betweenness_centrality(simple, normalized=False)
            out["betweenness"] = [b[v] for v in range(n)]
        elif task == "shortest":
            try:
                out["shortest"] = nx.shortest_path_length(simple, s, t)
            except nx.NetworkXNoPath:
                out["shortest"] = -1
        elif task == "all_shortest":
            try:
                out["all_shortest"] = sorted(list(p) for p in nx.all_shortest_paths(simple, s, t))
            except nx.NetworkXNoPath:
                out["all_shortest"] = []
        elif task == "k_shortest":
            paths = []
            try:
                for p in nx.shortest_simple_paths(simple, s, t):
                    paths.append(len(p) - 1)
                    if len(paths) == req["k"]:
                        break
            except nx.NetworkXNoPath:
                pass
            out["k_shortest"] = paths
        elif task == "dijkstra":
            d = nx.single_source_dijkstra_path_length(simple, s, weight="weight")
            out["dijkstra"] = [d.get(v, -1.0) for v in range(n)]
        else:
            raise SystemExit("unknown task " + task)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
