package oscal

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The fast validator walks a document's JSON bytes once, against nodes
// compiled from the reference compiler's output (santhosh-tekuri/jsonschema),
// so that it checks exactly the keywords the reference checks, with the same
// formats, patterns and enum values. It supports the subset of draft-07 the
// OSCAL schema uses; compileFast refuses a schema that uses anything else,
// so a schema change cannot silently weaken validation.

// JSON types as a bit set.
const (
	tNull uint8 = 1 << iota
	tBoolean
	tNumber
	tInteger
	tString
	tArray
	tObject
)

func typeName(t uint8) string {
	switch t {
	case tNull:
		return "null"
	case tBoolean:
		return "boolean"
	case tNumber, tInteger:
		return "number"
	case tString:
		return "string"
	case tArray:
		return "array"
	}
	return "object"
}

// Format kinds with a fast path; others go to the reference's function.
const (
	fmtOther = iota
	fmtDateTime
	fmtURI
	fmtURIReference
)

type node struct {
	loc string // schema location, for compile errors and debugging

	types    uint8
	typeWant []string // the reference's names of types, in its order

	enum     map[string]struct{} // enum values (all strings)
	enumVals []any               // for messages

	format     *jsonschema.Format
	formatKind int

	// object
	isObj     bool // has any object keyword
	props     map[string]int
	propNodes []*node
	required  []int // indices into propNodes, in the schema's order
	reqNames  []string
	noAddl    bool  // additionalProperties: false
	addl      *node // additionalProperties: schema

	// array
	isArr    bool
	items    *node
	minItems int // -1 when absent
	maxItems int // -1 when absent

	// string
	pattern    jsonschema.Regexp
	patFast    func(string) bool
	patternStr string

	// number
	minimum    *big.Rat
	minimumInt int64 // when minimumIsInt
	minIsInt   bool

	// uniqueItems: no two items equal as JSON values.
	unique bool

	// string lengths in runes, -1 when absent
	minLength, maxLength int
	// const
	hasConst bool
	constVal any
	// a boolean schema: 1 true (anything), 2 false (nothing)
	boolSchema int8
	// undeclared are required names that properties does not list: they
	// count as present for required, and as additional properties.
	undeclared uint64

	not            *node
	ifn, then, els *node

	allOf, anyOf, oneOf []*node

	// fallback is set on a node whose schema uses a keyword the walker
	// does not implement (when the compiler allows it): its values are
	// decoded and validated by the reference, so nothing is weakened.
	fallback *jsonschema.Schema
}

type fastCompiler struct {
	memo map[*jsonschema.Schema]*node
	// allowFallback lets schemas with keywords the walker does not
	// implement compile, those subschemas going to the reference.
	allowFallback bool
}

// compileFast builds the fast validator's node for a compiled reference
// schema. It fails on any keyword it does not implement.
func compileFast(s *jsonschema.Schema) (*node, error) {
	c := &fastCompiler{memo: map[*jsonschema.Schema]*node{}}
	return c.compile(s)
}

func (c *fastCompiler) compile(s *jsonschema.Schema) (*node, error) {
	if s == nil {
		return nil, nil
	}
	// Draft-07: a $ref's siblings are ignored (the reference compiler
	// leaves them out), so the node is its target.
	for hops := 0; s.Ref != nil; hops++ {
		if hops > 100 {
			return nil, fmt.Errorf("%s: $ref loop", s.Location)
		}
		if s.DraftVersion >= 2019 {
			return nil, fmt.Errorf("%s: $ref with siblings (draft 2019+) is not supported", s.Location)
		}
		s = s.Ref
	}
	if n, ok := c.memo[s]; ok {
		return n, nil
	}
	n := &node{loc: s.Location, minItems: -1, maxItems: -1, minLength: -1, maxLength: -1}
	c.memo[s] = n
	if err := c.compileInto(n, s); err != nil {
		if c.allowFallback {
			// Children fall back on their own, so the error is this
			// schema's: its values go to the reference.
			*n = node{loc: s.Location, minItems: -1, maxItems: -1, minLength: -1, maxLength: -1, fallback: s}
			return n, nil
		}
		return nil, err
	}
	return n, nil
}

// compileInto fills n from s; it fails on a keyword or a shape the walker
// does not implement.
func (c *fastCompiler) compileInto(n *node, s *jsonschema.Schema) error {
	if err := unsupported(s, c.allowFallback); err != nil {
		return fmt.Errorf("%s: %w", s.Location, err)
	}
	if s.Bool != nil {
		n.boolSchema = 2
		if *s.Bool {
			n.boolSchema = 1
		}
		return nil
	}
	if s.Const != nil {
		n.hasConst, n.constVal = true, *s.Const
	}
	if s.MinLength != nil {
		n.minLength = *s.MinLength
	}
	if s.MaxLength != nil {
		n.maxLength = *s.MaxLength
	}
	var err error
	if n.not, err = c.compile(s.Not); err != nil {
		return err
	}
	if n.ifn, err = c.compile(s.If); err != nil {
		return err
	}
	if n.ifn != nil {
		if n.then, err = c.compile(s.Then); err != nil {
			return err
		}
		if n.els, err = c.compile(s.Else); err != nil {
			return err
		}
	}
	if s.Types != nil && !s.Types.IsEmpty() {
		n.typeWant = s.Types.ToStrings()
		for _, t := range n.typeWant {
			switch t {
			case "null":
				n.types |= tNull
			case "boolean":
				n.types |= tBoolean
			case "number":
				n.types |= tNumber
			case "integer":
				n.types |= tInteger
			case "string":
				n.types |= tString
			case "array":
				n.types |= tArray
			case "object":
				n.types |= tObject
			}
		}
	}
	if s.Enum != nil {
		n.enum = map[string]struct{}{}
		n.enumVals = s.Enum.Values
		for _, v := range s.Enum.Values {
			str, ok := v.(string)
			if !ok {
				return fmt.Errorf("%s: enum value %v is not a string", s.Location, v)
			}
			n.enum[str] = struct{}{}
		}
	}
	if s.Format != nil {
		n.format = s.Format
		switch s.Format.Name {
		case "date-time":
			n.formatKind = fmtDateTime
		case "uri":
			n.formatKind = fmtURI
		case "uri-reference":
			n.formatKind = fmtURIReference
		}
	}
	if s.Pattern != nil {
		n.pattern = s.Pattern
		n.patternStr = s.Pattern.String()
		n.patFast = fastMatcher(n.patternStr)
		if n.patFast == nil {
			n.patFast = s.Pattern.MatchString
		}
	}
	if s.Minimum != nil {
		n.minimum = s.Minimum
		if s.Minimum.IsInt() && s.Minimum.Num().IsInt64() {
			n.minIsInt, n.minimumInt = true, s.Minimum.Num().Int64()
		}
	}

	// object
	if len(s.Properties) > 0 || len(s.Required) > 0 || s.AdditionalProperties != nil {
		n.isObj = true
		if len(s.Properties) > 64 {
			return fmt.Errorf("%s: more than 64 properties", s.Location)
		}
		names := make([]string, 0, len(s.Properties))
		for name := range s.Properties {
			names = append(names, name)
		}
		sort.Strings(names)
		n.props = make(map[string]int, len(names))
		for i, name := range names {
			n.props[name] = i
			pn, err := c.compile(s.Properties[name])
			if err != nil {
				return err
			}
			n.propNodes = append(n.propNodes, pn)
		}
		for _, r := range s.Required {
			i, ok := n.props[r]
			if !ok {
				if !c.allowFallback {
					return fmt.Errorf("%s: required property %q is not among the properties", s.Location, r)
				}
				if len(n.propNodes) >= 64 {
					return fmt.Errorf("%s: more than 64 properties", s.Location)
				}
				i = len(n.propNodes)
				n.props[r] = i
				n.propNodes = append(n.propNodes, nil)
				n.undeclared |= 1 << i
			}
			n.required = append(n.required, i)
			n.reqNames = append(n.reqNames, r)
		}
		switch a := s.AdditionalProperties.(type) {
		case nil:
		case bool:
			n.noAddl = !a
		case *jsonschema.Schema:
			an, err := c.compile(a)
			if err != nil {
				return err
			}
			n.addl = an
		default:
			return fmt.Errorf("%s: additionalProperties of type %T", s.Location, a)
		}
	}

	// array
	if s.Items != nil || s.MinItems != nil || s.MaxItems != nil || s.UniqueItems {
		n.isArr = true
		n.unique = s.UniqueItems
		switch it := s.Items.(type) {
		case nil:
		case *jsonschema.Schema:
			in, err := c.compile(it)
			if err != nil {
				return err
			}
			n.items = in
		default:
			return fmt.Errorf("%s: items of type %T (tuple validation)", s.Location, it)
		}
		if s.MinItems != nil {
			n.minItems = *s.MinItems
		}
		if s.MaxItems != nil {
			n.maxItems = *s.MaxItems
		}
	}

	if n.allOf, err = c.compileAll(s.AllOf); err != nil {
		return err
	}
	if n.anyOf, err = c.compileAll(s.AnyOf); err != nil {
		return err
	}
	if n.oneOf, err = c.compileAll(s.OneOf); err != nil {
		return err
	}
	return nil
}

func (c *fastCompiler) compileAll(ss []*jsonschema.Schema) ([]*node, error) {
	var out []*node
	for _, s := range ss {
		n, err := c.compile(s)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// unsupported names the first keyword of s the fast validator does not
// implement.
func unsupported(s *jsonschema.Schema, generic bool) error {
	var kw []string
	add := func(cond bool, name string) {
		if cond {
			kw = append(kw, name)
		}
	}
	// The OSCAL schema uses none of these; the walker implements them for
	// other schemas (CycloneDX, SPDX), and the OSCAL path keeps refusing
	// them so that its compile check stays as strict as it was.
	add(!generic && s.Bool != nil, "boolean schema")
	add(s.RecursiveRef != nil || s.RecursiveAnchor, "$recursiveRef")
	add(s.DynamicRef != nil || s.DynamicAnchor != "", "$dynamicRef")
	add(!generic && s.Const != nil, "const")
	add(!generic && s.Not != nil, "not")
	add(!generic && (s.If != nil || s.Then != nil || s.Else != nil), "if/then/else")
	add(s.MaxProperties != nil || s.MinProperties != nil, "min/maxProperties")
	add(s.PropertyNames != nil, "propertyNames")
	add(len(s.PatternProperties) > 0, "patternProperties")
	add(len(s.Dependencies) > 0 || len(s.DependentRequired) > 0 || len(s.DependentSchemas) > 0, "dependencies")
	add(s.UnevaluatedProperties != nil || s.UnevaluatedItems != nil, "unevaluated*")
	add(s.Contains != nil || s.MinContains != nil || s.MaxContains != nil, "contains")
	// Before 2020-12, additionalItems applies only after a tuple of items;
	// beside a single items schema (CycloneDX writes both) it is inert.
	_, singleItems := s.Items.(*jsonschema.Schema)
	add(s.AdditionalItems != nil && !(singleItems && s.DraftVersion < 2020) || len(s.PrefixItems) > 0 || s.Items2020 != nil, "additionalItems/prefixItems")
	add(!generic && (s.MinLength != nil || s.MaxLength != nil), "min/maxLength")
	add(s.ContentEncoding != nil || s.ContentMediaType != nil || s.ContentSchema != nil, "content*")
	add(s.Maximum != nil || s.ExclusiveMaximum != nil || s.ExclusiveMinimum != nil || s.MultipleOf != nil, "maximum/exclusive*/multipleOf")
	add(len(s.Extensions) > 0, "vocabulary extensions")
	if len(kw) == 0 {
		return nil
	}
	return fmt.Errorf("keyword(s) %s not supported by the fast validator", strings.Join(kw, ", "))
}
