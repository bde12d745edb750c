package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/pedigree-dev/pedigree/config"
)

// defaultConfigFile is read when --config is not given and it exists.
const defaultConfigFile = "pedigree.yaml"

// loadConfig builds the effective configuration: the config file, then
// PEDIGREE_* environment variables over it, then flags over both.
func loadConfig(cmd *cobra.Command) (*config.Config, error) {
	v := viper.New()
	v.SetEnvPrefix("PEDIGREE")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()
	if err := v.BindPFlags(cmd.Flags()); err != nil {
		return nil, err
	}
	if err := v.BindPFlags(cmd.InheritedFlags()); err != nil {
		return nil, err
	}

	path := v.GetString("config")
	cfg := &config.Config{}
	switch {
	case path != "":
		c, err := config.Load(path)
		if err != nil {
			return nil, usageError(err)
		}
		cfg = c
	default:
		if _, err := os.Stat(defaultConfigFile); err == nil {
			c, err := config.Load(defaultConfigFile)
			if err != nil {
				return nil, usageError(err)
			}
			cfg = c
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, usageError(fmt.Errorf("config: %w", err))
		}
	}

	// Flags and environment override the file, key by key. Paths given
	// this way are relative to the working directory, not the config file.
	str := func(key string, dst *string) {
		if v.IsSet(key) && (cmd.Flags().Changed(key) || envSet(key)) {
			*dst = v.GetString(key)
		}
	}
	list := func(key string, dst *[]string) {
		if cmd.Flags().Changed(key) || envSet(key) {
			var out []string
			for _, s := range v.GetStringSlice(key) {
				for _, p := range strings.Split(s, ",") {
					if p = strings.TrimSpace(p); p != "" {
						out = append(out, p)
					}
				}
			}
			*dst = out
		}
	}
	str("out", &cfg.Out)
	str("baseline", &cfg.Baseline)
	str("profile", &cfg.Profile)
	str("catalog", &cfg.Catalog)
	str("mapping", &cfg.Mapping)
	str("manual", &cfg.Manual)
	str("title", &cfg.Title)
	str("log-format", &cfg.LogFormat)
	str("archive-budget", &cfg.Files.ArchiveBudget)
	list("format", &cfg.Format)
	list("fail-on", &cfg.FailOn)
	// A typed setting is parsed strictly whether it came from a flag or a
	// variable: applyEnv refuses a bad variable only for the flags a
	// command defines, and viper would read one it lacks as zero.
	typed := func(key string, parse func(string) error) error {
		if !cmd.Flags().Changed(key) && !envSet(key) {
			return nil
		}
		val := v.GetString(key)
		if err := parse(val); err != nil {
			return usageError(fmt.Errorf("%s=%q: invalid value for --%s: %w", envName(key), val, key, err))
		}
		return nil
	}
	if err := typed("quiet", func(s string) (err error) {
		cfg.Quiet, err = strconv.ParseBool(s)
		return err
	}); err != nil {
		return nil, err
	}
	if err := typed("include-mapped", func(s string) error {
		b, err := strconv.ParseBool(s)
		cfg.IncludeMapped = &b
		return err
	}); err != nil {
		return nil, err
	}
	if err := typed("max-file-size", func(s string) (err error) {
		cfg.MaxFileSize, err = strconv.ParseInt(s, 0, 64)
		return err
	}); err != nil {
		return nil, err
	}
	return cfg, nil
}

// envKeys are the settings a PEDIGREE_* environment variable may give.
var envKeys = []string{"config", "out", "baseline", "profile", "catalog", "mapping", "manual", "title",
	"log-format", "format", "fail-on", "quiet", "include-mapped", "max-file-size",
	"archive-budget"}

// applyEnv parses each PEDIGREE_* variable as the flag it stands for, so
// that PEDIGREE_MAX_FILE_SIZE=abc is refused exactly as --max-file-size abc
// is, instead of being ignored. A flag given on the command line wins.
func applyEnv(cmd *cobra.Command) error {
	fs := cmd.Flags()
	for _, key := range envKeys {
		f := fs.Lookup(key)
		if f == nil || f.Changed {
			continue
		}
		name := envName(key)
		val, ok := os.LookupEnv(name)
		if !ok {
			continue
		}
		if err := fs.Set(key, val); err != nil {
			// pflag says `invalid argument "abc" for "--max-file-size" flag: why`.
			msg := err.Error()
			if _, why, ok := strings.Cut(msg, " flag: "); ok {
				msg = why
			}
			return usageError(fmt.Errorf("%s=%q: invalid value for --%s: %s", name, val, key, msg))
		}
	}
	return nil
}

func envName(key string) string {
	return "PEDIGREE_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

func envSet(key string) bool {
	_, ok := os.LookupEnv(envName(key))
	return ok
}

// targetName is the name a positional target gets in reports.
func targetName(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Base(p)
	}
	return filepath.Base(abs)
}
