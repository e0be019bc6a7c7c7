package ocisim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"bwbulk/broadworks/internal/ociwire"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
)

// scaleUsers are the sizes of the state BenchmarkCommandCost serves on.
var scaleUsers = []int{1000, 10000, 100000}

// jobDocs are the three documents bwbulk sends for the 15 users from
// index first on, encoded by its own codec: the 15 devices (a Polycom
// phone with its MAC address), the 15 users on them, and the 15
// read-backs.
func jobDocs(b *testing.B, prefix string, first int) [3]string {
	var devs, users, reads []oci.Request
	for i := first; i < first+15; i++ {
		dev := fmt.Sprintf("%s%07d-phone", prefix, i)
		uid := fmt.Sprintf("%s%07d@acme.example.com", prefix, i)
		devs = append(devs, &oci.GroupAccessDeviceAddRequest22V2{ServiceProviderID: "acme-ent", GroupID: "acme-hq",
			DeviceName: dev, DeviceType: "Polycom VVX 450", MacAddress: oci.String(fmt.Sprintf("%s%08X", macPrefix(prefix), i))})
		users = append(users, &oci.UserAddRequest22V2{ServiceProviderID: "acme-ent", GroupID: "acme-hq", UserID: uid,
			LastName: "User", FirstName: fmt.Sprintf("Row%d", i), CallingLineIDLastName: "User",
			CallingLineIDFirstName: fmt.Sprintf("Row%d", i), Password: oci.String(fmt.Sprintf("Bk%06d!q", i%1000000)),
			AccessDeviceEndpoint: &oci.AccessDeviceMultipleIdentityAndContactEndpointAdd22V2{
				AccessDevice: oci.GroupDevice(dev), LinePort: "lp-" + dev + "@acme.example.com"}})
		reads = append(reads, &oci.UserGetRequest23V2{UserID: uid})
	}
	var out [3]string
	for k, cmds := range [][]oci.Request{devs, users, reads} {
		doc, err := ociwire.Encode("bench", cmds, ociwire.EncodeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		out[k] = string(doc)
	}
	return out
}

// macPrefix keeps the MAC addresses of the seed and of the run apart.
func macPrefix(prefix string) string {
	if prefix == "seed" {
		return "0004"
	}
	return "0005"
}

var (
	seedMu    sync.Mutex
	seedFiles = map[int]string{}
	seedDir   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if seedDir != "" {
		os.RemoveAll(seedDir)
	}
	os.Exit(code)
}

// seededState returns a state file holding n users, each with a Polycom
// phone, added by the documents bwbulk sends; it is made once per process
// and size.
func seededState(b *testing.B, n int) string {
	seedMu.Lock()
	defer seedMu.Unlock()
	if p, ok := seedFiles[n]; ok {
		return p
	}
	if seedDir == "" {
		d, err := os.MkdirTemp("", "ocisim-bench-")
		if err != nil {
			b.Fatal(err)
		}
		seedDir = d
	}
	s := ocisim.NewDemo(nil)
	s.SetUserLimit("acme-ent", "acme-hq", 10*n+1000)
	if _, err := s.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := benchConn(b, s.Addr().String())
	for k := 0; k < n; k += 15 {
		for _, d := range jobDocs(b, "seed", k) {
			c.round(d)
		}
	}
	p := filepath.Join(seedDir, fmt.Sprintf("users-%d.json", n))
	if err := s.SaveState(p); err != nil {
		b.Fatal(err)
	}
	seedFiles[n] = p
	return p
}

// BenchmarkCommandCost serves what bwbulk sends for 15 users (a document
// of 15 device adds, one of 15 user adds on them, one of 15 read-backs)
// to a simulator that already holds 1,000, 10,000 or 100,000 such users,
// with its state file and journal on, as the demo server runs. ns/cmd,
// cpu-ns/cmd (user and system time of the whole process, the garbage
// collector's included, which a busy machine inflates less than ns/cmd),
// B/cmd and allocs/cmd (the whole process too: the client here only
// writes ready documents and reads the answers) must stay flat across the
// sizes.
//
// Every size needs enough commands for several collections of its heap:
//
//	go test -run '^$' -bench BenchmarkCommandCost -benchtime 1500x -count 6 ./broadworks/ocisim
func BenchmarkCommandCost(b *testing.B) {
	const perOp = 45
	for _, n := range scaleUsers {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			seed := seededState(b, n)
			blob, err := os.ReadFile(seed)
			if err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(b.TempDir(), "state.json")
			if err := os.WriteFile(path, blob, 0o600); err != nil {
				b.Fatal(err)
			}
			blob = nil
			s := ocisim.NewDemo(&ocisim.Options{StateFile: path})
			s.SetUserLimit("acme-ent", "acme-hq", 10*n+1000+15*b.N)
			if _, err := s.Listen("127.0.0.1:0"); err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			c := benchConn(b, s.Addr().String())
			before := s.AddCount("UserAddRequest22V2")
			const batch = 32
			var ms runtime.MemStats
			var allocs, bytes uint64
			var cpu time.Duration
			runtime.GC() // the garbage of loading the state is not the commands'
			b.ResetTimer()
			for done := 0; done < b.N; {
				b.StopTimer()
				docs := make([][3]string, 0, batch)
				for k := 0; k < batch && done+k < b.N; k++ {
					docs = append(docs, jobDocs(b, "run", (done+k)*15))
				}
				runtime.ReadMemStats(&ms)
				a0, b0 := ms.Mallocs, ms.TotalAlloc
				c0 := processCPU(b)
				b.StartTimer()
				for _, ds := range docs {
					for _, d := range ds {
						c.round(d)
					}
				}
				b.StopTimer()
				cpu += processCPU(b) - c0
				runtime.ReadMemStats(&ms)
				allocs += ms.Mallocs - a0
				bytes += ms.TotalAlloc - b0
				done += len(docs)
				b.StartTimer()
			}
			b.StopTimer()
			if got, want := s.AddCount("UserAddRequest22V2"), before+15*b.N; got != want {
				b.Fatalf("%d users added, want %d", got, want)
			}
			cmds := float64(b.N * perOp)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/cmds, "ns/cmd")
			b.ReportMetric(float64(cpu.Nanoseconds())/cmds, "cpu-ns/cmd")
			b.ReportMetric(float64(bytes)/cmds, "B/cmd")
			b.ReportMetric(float64(allocs)/cmds, "allocs/cmd")
		})
	}
}

// processCPU is the user and system time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
