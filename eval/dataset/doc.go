// Package dataset reads the labelled data sets planwise is evaluated on, one loader per
// data set, into one sample type. It is evaluation tooling: nothing on the request path
// imports it.
//
// LoadNESTFUL reads a NESTFUL *-data.json file, LoadTaskBench a TaskBench domain
// directory (data.sample.jsonl, with tool_desc.json for argument names) and LoadBFCL a
// BFCL v4 category (question file and possible answers; each sample carries the
// functions offered with it in Tools, and its gold calls list every acceptable value of
// each argument in Accept; an irrelevance category's samples are Irrelevant). All return
// Samples whose Gold steps are written in planwise's own plan language: step i has id
// "s<i+1>" and a reference to an earlier call's output is a plan reference
// "${sK.field}" (or "${sK}" for the whole output). Edges holds the gold dependency edges
// as indices into Gold. The files are read in place and never modified.
package dataset
