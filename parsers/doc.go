// Package parsers owns the second stage of tattle's pipeline: it turns the
// bytes of a log into events. It frames physical lines into records (a header
// line and its continuation lines, a stack trace found by its language, or the
// rejoined parts of a container log line), extracts each record's fields
// (time, level, logger, thread, message, access-log fields) and, for the
// records a rule wants, the exception chain and frames of its stack trace.
//
// Everything here is a pure function of the bytes it is given: no files, no
// clocks, no globals. Memory is bounded: a line over the line limit is cut, an
// event over the event limits is cut and flagged truncated, and both are
// counted in Stats.
package parsers
