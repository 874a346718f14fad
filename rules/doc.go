// Package rules owns the third stage of tattle's pipeline: the configuration
// file (loading it strictly and saying exactly where it is wrong), the rules
// that decide which records are errors worth an incident, and the identity of
// an incident: its fingerprint (what a person would call "the same error")
// and its short code (NPE-7F3A).
//
// The hot path is Engine.Match, which runs on every record a source
// produces: it checks the cheap header fields first and runs a regular
// expression only when a literal the expression requires is present. Stack
// traces are analysed only for records that pass every cheap check of a rule
// that looks at exceptions or frames.
package rules
