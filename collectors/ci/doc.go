// Package ci finds CI/CD pipeline definitions in a target (GitHub Actions
// workflows and action.yml metadata, GitLab CI files and their local
// includes), parses them with exact source positions, and records each as
// one piece of evidence of kind "ci.workflow". It never runs what it reads.
//
// GitHub Actions workflows are parsed with github.com/rhysd/actionlint's
// parser; composite actions and GitLab CI files are read as go.yaml.in/yaml/v3
// nodes. The parsed model travels in a field that is not serialised, so the
// checks in controls/cichecks can judge it in the same run.
package ci
