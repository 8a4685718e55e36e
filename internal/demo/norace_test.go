//go:build !race

package demo

const decodeSeconds = 0 // all
