// Package cmmc is the CMMC stage, after control aggregation: it turns the
// control results (and the findings that decided them) and the assessor's
// manual evidence into verdicts on CMMC practices and their assessment
// objectives, then scores them by the NIST SP 800-171 DoD Assessment
// Methodology and decides the conditional status of 32 CFR 170.21.
//
// It never re-runs a check. Which control result and checks bear on an
// objective is data (objectives.yaml), like the check-to-control mapping.
// Reports read its result, stored in the assessment; they never compute it.
package cmmc
