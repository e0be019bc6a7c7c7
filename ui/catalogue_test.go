package ui

import (
	"context"
	"strings"
	"testing"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// The live catalogue on the simulator: the facts say which types need a
// MAC address, in agreement with what the simulator refuses; a cached copy
// saved before descriptions existed still loads, requirements unknown.
func TestLiveCatalogue_deviceTypesNeedingMAC(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	cat := h.u.catalogue()
	f, err := wizard.LoadFacts(context.Background(), cat, "acme-ent", "acme-hq")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.DeviceTypeInfo) != len(f.DeviceTypes) || len(f.DeviceTypes) == 0 {
		t.Fatalf("%d types, %d described", len(f.DeviceTypes), len(f.DeviceTypeInfo))
	}
	for typ, want := range map[string]bool{"Polycom VVX 450": true, "Yealink T54W": true, "Generic SIP Phone": false, "Generic SIP IP-PBX": false} {
		if req, known := f.RequiresMAC(typ); !known || req != want {
			t.Errorf("%s: requires MAC %v (known %v), want %v", typ, req, known, want)
		}
	}

	// Offline: the description was cached.
	server := cat.Server
	off := &jobs.CachedCatalogue{Store: h.store, Server: server}
	if _, err := off.DeviceTypeInfo(context.Background(), "acme-ent", "acme-hq"); err != nil {
		t.Fatalf("cached description: %v", err)
	}
	// Offline, from a copy that only has the names.
	old := &jobs.CachedCatalogue{Store: h.store, Server: server + "-old"}
	if err := h.store.PutCatalogue(context.Background(), old.Server, "devicetypes/acme-ent/acme-hq", f.DeviceTypes); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"group/", "rules/", "numbers/", "departments/", "trunks/", "domains/"} {
		var v any
		if _, err := h.store.Catalogue(context.Background(), server, key+"acme-ent/acme-hq", &v); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if err := h.store.PutCatalogue(context.Background(), old.Server, key+"acme-ent/acme-hq", v); err != nil {
			t.Fatal(err)
		}
	}
	for _, key := range []string{"timezones", "languages"} {
		var v any
		if _, err := h.store.Catalogue(context.Background(), server, key, &v); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if err := h.store.PutCatalogue(context.Background(), old.Server, key, v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.DeviceTypeInfo(context.Background(), "acme-ent", "acme-hq"); err == nil {
		t.Fatal("old cache has a description")
	}
	of, err := wizard.LoadFacts(context.Background(), old, "acme-ent", "acme-hq")
	if err != nil {
		t.Fatal(err)
	}
	if len(of.DeviceTypes) != len(f.DeviceTypes) || of.DeviceTypeInfo != nil {
		t.Fatalf("old cache: %d types, info %v", len(of.DeviceTypes), of.DeviceTypeInfo)
	}
	if _, known := of.RequiresMAC("Polycom VVX 450"); known {
		t.Error("old cache: requirement known")
	}
}

// The User ID and Device steps refuse, on the step itself, what the server
// would refuse later, naming the field and the row.
func TestSteps_refuseWhatTheServerWould(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepUserID, 3)
	uid := h.w.views[wizard.StepUserID].(*userIDStep)
	uid.tpl.SetText("demo.user {{ index | pad 3 }}")
	const want = `row 1, userId "demo.user 001@acme.example.com": must not contain ' '`
	if got := uid.fs.errs[wizard.FieldUserIDTemplate]; !got.Visible() || got.Text != want || !h.w.next.Disabled() {
		t.Fatalf("user id error %q (shown %v), Next disabled %v", got.Text, got.Visible(), h.w.next.Disabled())
	}
	uid.tpl.SetText("demo.user{{ index | pad 3 }}")
	if h.w.next.Disabled() {
		t.Fatalf("valid user ids refused: %v", h.w.m.Validate(wizard.StepUserID))
	}
	for h.w.cur < wizard.StepDevice {
		h.next()
	}
	dev := h.w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	dev.devType.set("Yealink T54W")
	// A type that needs a MAC may leave the template blank: the preview
	// asks for the MACs row by row.
	if got := dev.fs.errs[wizard.FieldMACAddress]; got.Visible() || h.w.next.Disabled() {
		t.Fatalf("blank MAC refused on the device step: %q (Next disabled %v)", got.Text, h.w.next.Disabled())
	}
	if req, _ := h.w.m.EffectiveFacts().RequiresMAC("Yealink T54W"); !req {
		t.Fatal("the live catalogue does not say Yealink T54W needs a MAC")
	}
	dev.mac.entry.SetText("80-5E-C0-{{ index }}")
	if got := dev.fs.errs[wizard.FieldMACAddress]; !got.Visible() || !strings.Contains(got.Text, "must be 12 hexadecimal digits") || !h.w.next.Disabled() {
		t.Fatalf("short MAC template: error %q (shown %v), Next disabled %v", got.Text, got.Visible(), h.w.next.Disabled())
	}
	dev.mac.entry.SetText("80-5E-C0-{{ index | pad 6 }}")
	if got := dev.fs.errs[wizard.FieldMACAddress]; got.Visible() || h.w.next.Disabled() {
		t.Fatalf("valid MAC template refused: %q", got.Text)
	}
	dev.devType.set("Generic SIP Phone")
	dev.mac.entry.SetText("")
	if h.w.next.Disabled() {
		t.Fatalf("Generic SIP Phone without a MAC refused: %v", h.w.m.Validate(wizard.StepDevice))
	}
}
