package serve

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// The controls are generated from sim's parameter registry, grouped by the
// forces of MODEL.md.

// forces group the sections of the configuration as MODEL.md's argument
// does. A section not listed here lands in a last group, "Other".
var forces = []struct {
	name, doc string
	sections  []string
}{
	{"Practice", "State practice: what states choose, what they gain and how they learn.", []string{"decision", "learning", "opportunity", "payoffs"}},
	{"Attribution", "Attribution politics: detection, accusation, response, credibility and what states come to expect.", []string{"attribution", "response", "credibility", "expectations"}},
	{"Forums", "Multilateral forums: meetings, norm texts, cascades of adoption and renunciation.", []string{"forum", "norms"}},
	{"World and run", "The states, who can act against whom, and how outcomes are named.", []string{"world", "topology", "run", "convergence"}},
	{"Classic games", "Axelrod's metanorms, the 2x2 game of Nowak and May, and the choices Axelrod left open.", []string{"metanorms", "game", "axelrod"}},
}

// runKeys have controls of their own at the top of the page.
var runKeys = []string{"run.seed", "run.replicates", "run.steps"}

type paramGroup struct {
	Name     string         `json:"name"`
	Doc      string         `json:"doc"`
	Sections []paramSection `json:"sections"`
}

type paramSection struct {
	Name   string      `json:"name"`
	Doc    string      `json:"doc"`
	Params []paramInfo `json:"params"`
}

// paramInfo describes one control. Lo and Hi are the allowed range (nil
// for an open end at infinity); SoftLo and SoftHi the slider's range,
// which the number beside it may leave.
type paramInfo struct {
	Key     string   `json:"key"`
	Doc     string   `json:"doc"`
	Kind    string   `json:"kind"` // float | int | seed | bool | enum | dist | value
	Allowed string   `json:"allowed"`
	Default string   `json:"default"`
	Lo      *float64 `json:"lo,omitempty"`
	Hi      *float64 `json:"hi,omitempty"`
	LoOpen  bool     `json:"lo_open,omitempty"`
	HiOpen  bool     `json:"hi_open,omitempty"`
	SoftLo  float64  `json:"soft_lo"`
	SoftHi  float64  `json:"soft_hi"`
	Step    float64  `json:"step"`
	Enum    []string `json:"enum,omitempty"`
	Event   bool     `json:"event"`
	Run     bool     `json:"run,omitempty"` // one of runKeys
}

var kindNames = map[sim.ParamKind]string{
	sim.KindFloat: "float", sim.KindInt: "int", sim.KindSeed: "seed", sim.KindBool: "bool",
	sim.KindEnum: "enum", sim.KindDist: "dist", sim.KindValue: "value",
}

// paramInfos describes every parameter, in the registry's order, with
// its default as TOML.
func paramInfos() []paramInfo {
	def, err := scenarios.Parse("defaults", []byte("schema = 1\nname = \"defaults\"\n"))
	if err != nil {
		panic("serve: the default scenario does not load: " + err.Error())
	}
	_, defaults := resolvedValues(def)
	cfg := sim.DefaultConfig()
	var out []paramInfo
	for _, p := range sim.Params() {
		pi := paramInfo{Key: p.Key, Doc: p.Doc, Kind: kindNames[p.Kind], Allowed: p.Allowed(), Default: defaults[p.Key],
			Event: p.Event, Run: slices.Contains(runKeys, p.Key)}
		if p.Kind == sim.KindEnum {
			pi.Enum = p.EnumNames()
		}
		if p.Numeric() {
			r := p.Range
			if !math.IsInf(r.Lo, 0) {
				pi.Lo = &r.Lo
			}
			if !math.IsInf(r.Hi, 0) {
				pi.Hi = &r.Hi
			}
			pi.LoOpen, pi.HiOpen = r.LoOpen, r.HiOpen
			var d float64
			switch p.Kind {
			case sim.KindFloat:
				d = *p.Float(&cfg)
			case sim.KindInt:
				d = float64(*p.Int(&cfg))
			case sim.KindSeed:
				d = float64(*p.Seed(&cfg))
			}
			pi.SoftLo, pi.SoftHi, pi.Step = softRange(r, d, p.Integer())
		}
		out = append(out, pi)
	}
	return out
}

// softRange is a slider's range for a parameter with range r and default
// d: r itself when it is narrow, else a range around the default.
func softRange(r sim.Range, d float64, integer bool) (lo, hi, step float64) {
	lo, hi = r.Lo, r.Hi
	wide := 100.0
	if integer {
		wide = 1000
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || hi-lo > wide {
		top := niceCeil(math.Max(4*math.Abs(d), 1))
		if integer {
			top = niceCeil(math.Max(4*math.Abs(d), 10))
		}
		switch {
		case !math.IsInf(lo, 0) && lo >= 0:
			hi = math.Min(hi, lo+top)
		case !math.IsInf(lo, 0):
			hi = math.Min(hi, top)
			lo = math.Max(lo, -top)
		default:
			lo, hi = -top, math.Min(hi, top)
		}
	}
	if integer {
		return lo, hi, 1
	}
	step = math.Pow(10, math.Floor(math.Log10((hi-lo)/100)))
	return lo, hi, step
}

// niceCeil rounds x up to 1, 2 or 5 times a power of ten.
func niceCeil(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// pageInfo is what the page needs before a session: the controls and the
// layout of a point.
type pageInfo struct {
	Groups   []paramGroup `json:"groups"`
	Run      []paramInfo  `json:"run"`
	Metrics  []metricInfo `json:"metrics"` // the values of a point, after its step
	Markers  []string     `json:"markers"` // then these shares
	Outcomes []string     `json:"outcomes"`
	Handouts bool         `json:"handouts"`
	Version  string       `json:"version"`
}

type metricInfo struct {
	Name string `json:"name"`
	Band bool   `json:"band"` // followed by its 10% and 90% quantiles
}

// paramGroups groups every parameter but the run keys by force and
// section, with the sections' docs, and says what else the page needs to
// know: the metrics of a point, the outcomes, whether there are handouts.
func paramGroups(handouts bool, version string) pageInfo {
	bySection := map[string][]paramInfo{}
	var runs []paramInfo
	for _, p := range paramInfos() {
		if p.Run {
			runs = append(runs, p)
			continue
		}
		sec, _, _ := strings.Cut(p.Key, ".")
		bySection[sec] = append(bySection[sec], p)
	}
	docs := map[string]string{}
	for _, s := range sim.Sections {
		docs[s.Name] = s.Doc
	}
	placed := map[string]bool{}
	var groups []paramGroup
	for _, f := range forces {
		g := paramGroup{Name: f.name, Doc: f.doc}
		for _, sec := range f.sections {
			placed[sec] = true
			if ps := bySection[sec]; len(ps) > 0 {
				g.Sections = append(g.Sections, paramSection{Name: sec, Doc: docs[sec], Params: ps})
			}
		}
		groups = append(groups, g)
	}
	other := paramGroup{Name: "Other", Doc: "Sections of the configuration not grouped above."}
	for _, s := range sim.Sections {
		if !placed[s.Name] && len(bySection[s.Name]) > 0 {
			other.Sections = append(other.Sections, paramSection{Name: s.Name, Doc: s.Doc, Params: bySection[s.Name]})
		}
	}
	if len(other.Sections) > 0 {
		groups = append(groups, other)
	}
	info := pageInfo{Groups: groups, Run: runs, Outcomes: sim.OutcomeNames(), Handouts: handouts, Version: cmp.Or(version, sim.Version)}
	for _, c := range chartMetrics {
		info.Metrics = append(info.Metrics, metricInfo{Name: c.m.String(), Band: c.band})
	}
	for _, m := range markerMetrics {
		info.Markers = append(info.Markers, m.String())
	}
	return info
}
