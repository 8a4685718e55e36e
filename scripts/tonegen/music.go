package main

import "errors"

func demo(args []string) error { return errors.New("demo: not yet") }
