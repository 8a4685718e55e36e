package pcloudtest

import (
	"net"
	"sync"
)

// SetSilentHost puts (on) or takes off (off) a stream host that accepts
// TCP connections and never answers at the head of getaudiolink's hosts,
// before the real ones. The listener stays open (same address) until Close;
// the connections it holds are kept open until Close or until their client
// closes them.
func (s *Server) SetSilentHost(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on && s.flt.silent == nil {
		if s.inMemory {
			panic("pcloudtest: no silent host in memory")
		}
		h, err := newSilentHost(s.closed)
		if err != nil {
			panic("pcloudtest: silent host: " + err.Error())
		}
		s.flt.silent = h
	}
	s.flt.silentOn = on
}

// SilentHost is the silent host's host:port ("" until SetSilentHost(true)).
func (s *Server) SilentHost() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flt.silent == nil {
		return ""
	}
	return s.flt.silent.addr
}

// SilentConns is how many connections the silent host has accepted.
func (s *Server) SilentConns() int {
	s.mu.Lock()
	h := s.flt.silent
	s.mu.Unlock()
	if h == nil {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.accepted
}

// linkHosts are the hosts getaudiolink and getfilelink list.
func (s *Server) linkHosts() []string {
	hosts := s.Hosts()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flt.silentOn {
		hosts = append([]string{s.flt.silent.addr}, hosts...)
	}
	return hosts
}

// silentHost accepts connections and holds them, reading what comes and
// writing nothing.
type silentHost struct {
	addr     string
	ln       net.Listener
	mu       sync.Mutex
	conns    map[net.Conn]bool
	accepted int
	closed   bool
}

func newSilentHost(serverClosed <-chan struct{}) (*silentHost, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &silentHost{addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]bool{}}
	go h.serve()
	go func() {
		<-serverClosed
		h.close()
	}()
	return h, nil
}

func (h *silentHost) serve() {
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return // closed
		}
		h.mu.Lock()
		if h.closed {
			h.mu.Unlock()
			c.Close()
			return
		}
		h.accepted++
		h.conns[c] = true
		h.mu.Unlock()
		go func() {
			buf := make([]byte, 4096)
			for {
				if _, err := c.Read(buf); err != nil {
					break
				}
			}
			c.Close()
			h.mu.Lock()
			delete(h.conns, c)
			h.mu.Unlock()
		}()
	}
}

func (h *silentHost) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	h.ln.Close()
	for c := range h.conns {
		c.Close()
	}
}

// Silent is a loopback listener that accepts connections and never
// answers (a pCloud gone quiet): its http:// URL, for an API base URL, and
// stop, which ends it and every connection it holds.
func Silent() (url string, stop func(), err error) {
	done := make(chan struct{})
	h, err := newSilentHost(done)
	if err != nil {
		return "", nil, err
	}
	var once sync.Once
	return "http://" + h.addr, func() { once.Do(func() { close(done) }) }, nil
}
