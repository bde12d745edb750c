package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/oscal"
)

func init() {
	addCommand(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "oscal",
			Short: "Work with OSCAL documents",
		}
		cmd.AddCommand(&cobra.Command{
			Use:   "validate FILE...",
			Short: "Validate OSCAL 1.1.x documents (JSON or YAML) against the OSCAL 1.1.3 schema",
			Long: `Validate each FILE against the official OSCAL 1.1.3 complete JSON schema
(embedded). Prints "FILE: valid", or one line per problem sorted by JSON
pointer: "FILE: /pointer: message".

Exit code: 0 when every file is valid, 1 when one is not, 2 when a file
cannot be read or is not well-formed JSON/YAML.`,
			Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
				invalid, unreadable := 0, 0
				for _, f := range args {
					doc, err := oscal.ReadFile(f)
					if err != nil {
						unreadable++
						fmt.Fprintln(errOut, oneLineError(f, err))
						continue
					}
					err = oscal.Validate(doc)
					var ve *oscal.ValidationError
					switch {
					case err == nil:
						fmt.Fprintf(out, "%s: valid\n", f)
					case errors.As(err, &ve):
						invalid++
						for _, p := range ve.Problems {
							fmt.Fprintf(out, "%s: %s\n", f, p)
						}
					default:
						return err
					}
				}
				switch {
				case unreadable > 0:
					return withCode(exitUsage, nil)
				case invalid > 0:
					return withCode(exitFindings, nil)
				}
				return nil
			},
		})
		return cmd
	})
}

// oneLineError names the file once: ReadFile's errors already start with it
// when they come from parsing, not when the file cannot be opened.
func oneLineError(file string, err error) string {
	msg := err.Error()
	if len(msg) > len(file) && msg[:len(file)] == file {
		return msg
	}
	return file + ": " + msg
}
