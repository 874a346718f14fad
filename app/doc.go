// Package app wires tattle's stages together and owns their lifecycle:
// it builds the tailer (or file readers), parsers, rule engine and notifiers
// from a configuration and runs them. Subcommands of cmd/tattle call one
// function here each; cmd/tattle itself only reads flags.
package app
