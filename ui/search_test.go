package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"bwbulk/wizard"
)

// TestDevice_SaysWhichTypesNeedAMAC: the device step marks the types that
// need a MAC address in its list and says whether the chosen one does.
func TestDevice_SaysWhichTypesNeedAMAC(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepDevice, 2)
	dev := h.w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	marked := 0
	for _, o := range dev.devType.all {
		if strings.HasSuffix(o, macMark) {
			marked++
			if strings.HasPrefix(o, "Generic SIP Phone") {
				t.Errorf("%q marked", o)
			}
		}
	}
	if marked == 0 {
		t.Fatalf("no type marked as needing a MAC: %v", dev.devType.all)
	}
	if !strings.Contains(dev.macNeed.Text, "types need a MAC address (marked in the list)") {
		t.Errorf("MAC line = %q", dev.macNeed.Text)
	}
	dev.devType.set("Polycom VVX 450" + macMark)
	if h.w.m.Device.DeviceType != "Polycom VVX 450" {
		t.Errorf("model type = %q", h.w.m.Device.DeviceType)
	}
	if !strings.HasPrefix(dev.macNeed.Text, "Polycom VVX 450 needs a MAC address for every phone.") {
		t.Errorf("MAC line = %q", dev.macNeed.Text)
	}
	dev.devType.set("Generic SIP Phone")
	if !strings.HasPrefix(dev.macNeed.Text, "Generic SIP Phone needs no MAC address.") {
		t.Errorf("MAC line = %q", dev.macNeed.Text)
	}
}

// TestDetails_TimeZoneSearchAsYouType: typing part of a name lists the
// matches at once; picking one sets it.
func TestDetails_TimeZoneSearchAsYouType(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepDetails, 2)
	d := h.w.views[wizard.StepDetails].(*detailsStep)
	test.Type(d.tz.entry, "Chicago")
	if !d.tz.box.Visible() || len(d.tz.shown) == 0 || !strings.HasPrefix(d.tz.shown[0], "America/Chicago") {
		t.Fatalf("matches visible %v: %v", d.tz.box.Visible(), d.tz.shown)
	}
	d.tz.matches.Select(0)
	if h.w.m.Details.TimeZone != "America/Chicago" || d.tz.box.Visible() {
		t.Errorf("picked: model %q, matches still shown %v", h.w.m.Details.TimeZone, d.tz.box.Visible())
	}
	test.Type(d.lang.entry, "engl")
	if !d.lang.box.Visible() || len(d.lang.shown) != 2 || d.lang.shown[0] != "English" {
		t.Errorf("language matches %v", d.lang.shown)
	}
}
