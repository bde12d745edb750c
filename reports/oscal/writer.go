package oscal

import (
	"context"
	"errors"
	"fmt"
	"io"

	types "github.com/defenseunicorns/go-oscal/src/types/oscal-1-1-3"

	"github.com/pedigree-dev/pedigree/assessment"
	oscalschema "github.com/pedigree-dev/pedigree/oscal"
	"github.com/pedigree-dev/pedigree/reports"
)

// Formats and the files they are written to.
const (
	FormatAR   = "oscal-ar"
	FormatAP   = "oscal-ap"
	FormatPOAM = "oscal-poam"

	FileAR   = "assessment-results.json"
	FileAP   = "assessment-plan.json"
	FilePOAM = "poam.json"
)

// ErrInvalidDocument is a generated document that breaks the OSCAL schema:
// a bug in pedigree, never in the user's input.
var ErrInvalidDocument = errors.New("generated OSCAL document is invalid (a pedigree bug)")

// Writer writes one OSCAL document model.
type Writer struct {
	format, filename string
	build            func(*assessment.Assessment) *types.OscalCompleteSchema
}

var _ reports.Writer = (*Writer)(nil)

// NewAssessmentResults writes assessment-results.json.
func NewAssessmentResults() *Writer {
	return &Writer{format: FormatAR, filename: FileAR, build: AssessmentResults}
}

// NewAssessmentPlan writes assessment-plan.json.
func NewAssessmentPlan() *Writer {
	return &Writer{format: FormatAP, filename: FileAP, build: AssessmentPlan}
}

// NewPOAM writes poam.json.
func NewPOAM() *Writer {
	return &Writer{format: FormatPOAM, filename: FilePOAM, build: PlanOfActionAndMilestones}
}

func (w *Writer) Format() string   { return w.format }
func (w *Writer) Filename() string { return w.filename }

// Write builds the document, validates it against the OSCAL 1.1.3 schema
// and writes it; nothing is written when it does not validate.
func (w *Writer) Write(ctx context.Context, out io.Writer, a *assessment.Assessment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := Encode(w.build(a))
	if err != nil {
		return fmt.Errorf("%s: %w", w.format, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

// Encode marshals an OSCAL document as indented JSON and validates the
// bytes against the embedded schema (compiled once). An invalid document
// returns ErrInvalidDocument wrapping the *oscal.ValidationError. Large
// documents are encoded and validated on every core (see encode).
func Encode(doc *types.OscalCompleteSchema) ([]byte, error) {
	b, arrays, err := encode(doc)
	if err != nil {
		return nil, fmt.Errorf("encode OSCAL: %w", err)
	}
	if err := oscalschema.ValidateJSONChunked(b, arrays); err != nil {
		var ve *oscalschema.ValidationError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, ve)
		}
		return nil, err
	}
	return b, nil
}
