// The Go client of the conformance suite: net/http with a RootCAs pool that holds only the
// case's anchors, as an application does. Only the dialer is replaced (every name of a job
// connects to the lab address); the TLS checks are crypto/tls's own.
// Usage: go run probe.go JOBS.json — one JSON line per job: {"id", "accepted", "detail", "text"}.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

type job struct {
	ID      string `json:"id"`
	Address string `json:"address"`
	Port    int    `json:"port"`
	CA      string `json:"ca"`
	URL     string `json:"url"`
}

type result struct {
	ID       string `json:"id"`
	Accepted bool   `json:"accepted"`
	Detail   string `json:"detail"`
	Text     string `json:"text"`
}

func one(j job) result {
	pem, err := os.ReadFile(j.CA)
	if err != nil {
		return result{j.ID, false, err.Error(), err.Error()}
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	target := net.JoinHostPort(j.Address, strconv.Itoa(j.Port))
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	transport := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: pool},
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, target)
		},
	}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	resp, err := client.Get(j.URL)
	if err != nil {
		return result{j.ID, false, err.Error(), err.Error()}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return result{j.ID, resp.StatusCode == 200 && string(body) == "hello", fmt.Sprintf("HTTP %d", resp.StatusCode), ""}
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var jobs []job
	if err := json.Unmarshal(data, &jobs); err != nil {
		panic(err)
	}
	out := json.NewEncoder(os.Stdout)
	for _, j := range jobs {
		_ = out.Encode(one(j))
	}
}
