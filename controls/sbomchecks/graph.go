package sbomchecks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pedigree-dev/pedigree/collectors/sbom"
	"github.com/pedigree-dev/pedigree/controls"
	"github.com/pedigree-dev/pedigree/evidence"
)

// NewDependencyGraph checks that the dependency graph is complete and
// sound: every component reachable from the primary component, no
// dangling references, no duplicate refs, no cycles.
func NewDependencyGraph() controls.Check {
	c := controls.Check{
		ID:          "SBOM-DEPENDENCY-GRAPH",
		Title:       "SBOM dependency graph reaches every component from the primary one",
		Rationale:   "A component that the graph does not connect to the product cannot be traced to what ships; dangling or duplicate references make the inventory ambiguous.",
		Remediation: "Declare the primary component (CycloneDX metadata.component, SPDX DESCRIBES) and a dependency entry for every component, with unique bom-refs.",
		Severity:    evidence.Medium,
		Pillar:      controls.PillarSBOM,
		Method:      "EXAMINE",
		Reads:       sbomReads,
	}
	c.Run = func(ev []evidence.Evidence) []evidence.Finding {
		var out []evidence.Finding
		for _, d := range docs(ev) {
			if !usable(d.doc) {
				continue
			}
			g := AnalyzeGraph(d.doc)
			if g.OK() {
				out = append(out, finding(c, d, evidence.Pass, g.String()))
			} else {
				out = append(out, finding(c, d, evidence.Fail, g.String()))
			}
		}
		return out
	}
	return c
}

// Graph is what AnalyzeGraph found.
type Graph struct {
	Components int
	NoPrimary  bool
	NoGraph    bool
	// Unreachable names the first unreachable components of
	// UnreachableCount.
	Unreachable      []string
	UnreachableCount int
	Dangling         []string
	Duplicates       []string
	// Cycles holds one path per cycle found ("a -> b -> a").
	Cycles []string
}

// OK is true when nothing is wrong.
func (g Graph) OK() bool {
	return !g.NoPrimary && !g.NoGraph && g.UnreachableCount == 0 && len(g.Dangling) == 0 && len(g.Duplicates) == 0 && len(g.Cycles) == 0
}

func (g Graph) String() string {
	if g.OK() {
		return fmt.Sprintf("all %d components are reachable from the primary component; no dangling, duplicate or cyclic references", g.Components)
	}
	var parts []string
	if g.NoPrimary {
		parts = append(parts, "no primary component (CycloneDX metadata.component / SPDX DESCRIBES), so reachability cannot be established")
	}
	if g.NoGraph {
		parts = append(parts, "no dependency relationships")
	}
	if g.UnreachableCount > 0 && !g.NoPrimary && !g.NoGraph {
		parts = append(parts, fmt.Sprintf("%d of %d components not reachable from the primary component (%s)", g.UnreachableCount, g.Components, named(g.UnreachableCount, g.Unreachable)))
	}
	if len(g.Dangling) > 0 {
		parts = append(parts, fmt.Sprintf("%s to no component (%s)", plural(len(g.Dangling), "dangling reference", "dangling references"), firstLabels(g.Dangling, nameFirst)))
	}
	if len(g.Duplicates) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(len(g.Duplicates), "duplicate ref", "duplicate refs"), firstLabels(g.Duplicates, nameFirst)))
	}
	if len(g.Cycles) > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(len(g.Cycles), "dependency cycle", "dependency cycles"), firstLabels(g.Cycles, 2)))
	}
	return strings.Join(parts, "; ")
}

// maxCycles bounds the cycles recorded.
const maxCycles = 20

// AnalyzeGraph walks the dependency graph of d. Refs are interned to
// integers once; reachability and cycle search then run over slices, in
// time linear in the graph and without recursion, so a deep or huge graph
// costs no stack and little memory.
func AnalyzeGraph(d *sbom.Document) Graph {
	g := Graph{Components: len(d.Components), Duplicates: d.DuplicateRefs}
	n := len(d.Components) + 1
	idx := make(map[string]int32, n)
	names := make([]string, 0, n)
	intern := func(ref string) int32 {
		if i, ok := idx[ref]; ok {
			return i
		}
		i := int32(len(names))
		idx[ref] = i
		names = append(names, ref)
		return i
	}
	primary := int32(-1)
	if d.Primary != nil && d.Primary.Ref != "" {
		primary = intern(d.Primary.Ref)
	}
	compIdx := make([]int32, len(d.Components))
	for i := range d.Components {
		if r := d.Components[i].Ref; r != "" {
			compIdx[i] = intern(r)
		} else {
			compIdx[i] = -1
		}
	}
	known := len(names) // refs below this index name a component
	type edgeT struct{ from, to int32 }
	edges := make([]edgeT, 0, len(d.Components))
	// Nested components are part of their parent.
	for i := range d.Components {
		c := &d.Components[i]
		if c.Parent() != "" && compIdx[i] >= 0 {
			if p, ok := idx[c.Parent()]; ok {
				edges = append(edges, edgeT{p, compIdx[i]})
			}
		}
	}
	danglingSet := map[string]bool{}
	depEdges := 0
	for from, tos := range d.Dependencies {
		f := intern(from)
		if int(f) >= known {
			danglingSet[from] = true
		}
		for _, to := range tos {
			t := intern(to)
			if int(t) >= known {
				danglingSet[to] = true
			}
			edges = append(edges, edgeT{f, t})
			depEdges++
		}
	}
	for ref := range danglingSet {
		g.Dangling = append(g.Dangling, ref)
	}
	sort.Strings(g.Dangling)
	if !d.HasDependencies {
		g.NoGraph = true
	}
	if primary < 0 {
		g.NoPrimary = true
	}
	// Compressed adjacency: the targets of node x are to[off[x]:off[x+1]],
	// in the order the edges were met for x.
	off := make([]int32, len(names)+1)
	for _, e := range edges {
		off[e.from+1]++
	}
	for i := 1; i < len(off); i++ {
		off[i] += off[i-1]
	}
	to := make([]int32, len(edges))
	fill := append([]int32(nil), off[:len(names)]...)
	for _, e := range edges {
		to[fill[e.from]] = e.to
		fill[e.from]++
	}
	adj := func(x int32) []int32 { return to[off[x]:off[x+1]] }
	if !g.NoPrimary {
		reached := make([]bool, len(names))
		queue := []int32{primary}
		reached[primary] = true
		for len(queue) > 0 {
			x := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for _, y := range adj(x) {
				if !reached[y] {
					reached[y] = true
					queue = append(queue, y)
				}
			}
		}
		for i := range d.Components {
			if compIdx[i] == primary {
				continue
			}
			if compIdx[i] < 0 || !reached[compIdx[i]] {
				g.UnreachableCount++
				if len(g.Unreachable) < nameFirst {
					g.Unreachable = append(g.Unreachable, d.Components[i].Label())
				}
			}
		}
	}
	if depEdges > 0 {
		g.Cycles = findCycles(len(names), adj, names)
	}
	return g
}

// findCycles finds back edges with an iterative depth-first search over
// the nodes in order and renders the cycle each closes.
func findCycles(n int, adj func(int32) []int32, names []string) []string {
	const (
		white = 0
		grey  = 1
		black = 2
	)
	colour := make([]uint8, n)
	var cycles []string
	type frame struct {
		node int32
		next int
	}
	var stack []frame
	for start := 0; start < n; start++ {
		if colour[start] != white {
			continue
		}
		stack = append(stack[:0], frame{int32(start), 0})
		colour[start] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			edges := adj(top.node)
			if top.next >= len(edges) {
				colour[top.node] = black
				stack = stack[:len(stack)-1]
				continue
			}
			to := edges[top.next]
			top.next++
			switch colour[to] {
			case white:
				colour[to] = grey
				stack = append(stack, frame{to, 0})
			case grey:
				if len(cycles) < maxCycles {
					var path []string
					for i := range stack {
						if stack[i].node == to || len(path) > 0 {
							path = append(path, names[stack[i].node])
						}
					}
					if len(path) > 8 {
						path = append(path[:4], append([]string{"..."}, path[len(path)-3:]...)...)
					}
					cycles = append(cycles, strings.Join(append(path, names[to]), " -> "))
				}
			}
		}
	}
	return cycles
}
