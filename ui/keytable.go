package ui

import (
	"fmt"
	"slices"
	"strings"
)

// KeyTable is k's keys, their action's name and what it does, one action
// a line in the order of [Actions], for `pcplay --help`:
// "  space          toggle          pause / resume".
func KeyTable(k KeyMap) string {
	var b strings.Builder
	for _, a := range Actions() {
		bd := k.binding(a)
		fmt.Fprintf(&b, "  %-14s %-15s %s\n", strings.Join(bd.Keys(), " "), a, bd.Help().Desc)
	}
	return b.String()
}

// KeyConflictError is a key bound to two actions, at least one of them
// rebound.
type KeyConflictError struct {
	Key     string
	Actions [2]string // the rebound one first
}

func (e *KeyConflictError) Error() string {
	return fmt.Sprintf("%q is a key of both %s and %s; give one of them another key", e.Key, e.Actions[0], e.Actions[1])
}

// Conflict finds a key bound to two actions where at least one of them is
// in rebound (the actions a config file rebound; the defaults don't
// collide with themselves); nil when there is none.
func (k *KeyMap) Conflict(rebound []string) error {
	owner := map[string]string{}
	actions := Actions()
	// The rebound actions first, so that the message names them first.
	slices.SortStableFunc(actions, func(a, b string) int {
		ra, rb := slices.Contains(rebound, a), slices.Contains(rebound, b)
		switch {
		case ra && !rb:
			return -1
		case rb && !ra:
			return 1
		}
		return 0
	})
	for _, a := range actions {
		for _, key := range k.binding(a).Keys() {
			other, taken := owner[key]
			if taken && other != a && (slices.Contains(rebound, a) || slices.Contains(rebound, other)) {
				return &KeyConflictError{Key: key, Actions: [2]string{other, a}}
			}
			if !taken {
				owner[key] = a
			}
		}
	}
	return nil
}
