package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

const (
	devNone   = "No device"
	devHosted = "A phone (hosted device) for each user"
	devTrunk  = "Trunking (PBX behind a trunk group)"
)

// deviceStep chooses no device, a hosted device per user, or trunking.
type deviceStep struct {
	w                        *wizardView
	fs                       *fieldSet
	mode                     *widget.RadioGroup
	devType                  *searchSelect
	name, port, mac, trunkLP *templateField
	trunkGroup, entTrunk     *keySelect
	hosted, trunk            *fyne.Container
	sample                   *sampleLabel
	req                      fyne.CanvasObject
	setting                  bool
	// macNeed says which device types need a MAC address.
	macNeed *widget.Label
}

func newDeviceStep(w *wizardView) *deviceStep {
	s := &deviceStep{w: w, fs: newFieldSet(), sample: newSampleLabel(wizard.ColDeviceName, wizard.ColLinePort)}
	upd := func() { s.sample.update(w.m) }
	s.mode = widget.NewRadioGroup([]string{devNone, devHosted, devTrunk}, func(v string) {
		if s.setting {
			return
		}
		d := &s.w.m.Device
		switch v {
		case devHosted:
			d.Mode = wizard.DeviceHosted
			if d.DeviceName == "" {
				d.DeviceName = wizard.DefaultDeviceName
			}
			if d.LinePort == "" {
				d.LinePort = wizard.DefaultLinePort
			}
		case devTrunk:
			d.Mode = wizard.DeviceTrunk
			if d.LinePort == "" {
				d.LinePort = wizard.DefaultLinePort
			}
		default:
			d.Mode = wizard.ModeNone
		}
		s.load()
		s.w.relayout()
		s.w.changed()
	})
	s.mode.Required = true
	s.devType = newSearchSelect("Search device types", func(v string) {
		if !s.setting {
			s.w.m.Device.DeviceType = strings.TrimSuffix(v, macMark)
			s.showMACNeed()
			s.w.changed()
		}
	})
	s.devType.relayout = w.relayout
	s.macNeed = widget.NewLabel("")
	s.macNeed.Wrapping = fyne.TextWrapWord
	s.name = w.templateField(func() *string { return &w.m.Device.DeviceName }, upd)
	s.port = w.templateField(func() *string { return &w.m.Device.LinePort }, upd)
	s.trunkLP = w.templateField(func() *string { return &w.m.Device.LinePort }, upd)
	s.mac = w.templateField(func() *string { return &w.m.Device.MACAddress }, upd)
	s.trunkGroup = newSelect(nil, func(v string) {
		if !s.setting {
			s.w.m.Device.TrunkGroup = v
			s.w.changed()
		}
	})
	s.entTrunk = newSelect(nil, func(v string) {
		if !s.setting {
			s.w.m.Device.EnterpriseTrunk = v
			s.w.changed()
		}
	})
	s.hosted = form(
		s.fs.row(wizard.FieldDeviceType, "Device type", "", container.NewVBox(s.devType.obj, s.macNeed)),
		s.fs.row(wizard.FieldDeviceName, "Device name", "", s.name.obj),
		s.fs.row(wizard.FieldLinePort, "Line/port", "", s.port.obj),
		s.fs.row(wizard.FieldMACAddress, "MAC address", "Phone types provisioned by MAC (Device Management) need one per phone: leave blank and paste the MACs into the preview, or type a template such as 0004F2{{ index | pad 6 }}.", s.mac.obj),
	)
	s.trunk = form(
		s.fs.row(wizard.FieldTrunkGroup, "Trunk group", "", s.trunkGroup),
		s.fs.row(wizard.FieldEnterpriseTrunk, "Enterprise trunk", "", s.entTrunk),
		[]fyne.CanvasObject{widget.NewLabel("Line/port"), s.trunkLP.obj},
	)
	s.req = container.NewVBox(form(s.fs.row(wizard.FieldDeviceMode, "Device", "", s.mode)), s.hosted, s.trunk, s.sample.l)
	return s
}

func (s *deviceStep) required() fyne.CanvasObject { return s.req }
func (s *deviceStep) optional() fyne.CanvasObject { return nil }
func (s *deviceStep) fields() *fieldSet           { return s.fs }

func (s *deviceStep) load() {
	s.setting = true
	defer func() { s.setting = false }()
	d := s.w.m.Device
	switch d.Mode {
	case wizard.DeviceHosted:
		s.mode.SetSelected(devHosted)
	case wizard.DeviceTrunk:
		s.mode.SetSelected(devTrunk)
	default:
		s.mode.SetSelected(devNone)
	}
	f := s.w.m.EffectiveFacts()
	if f != nil {
		opts := make([]string, len(f.DeviceTypes))
		for i, t := range f.DeviceTypes {
			opts[i] = deviceLabel(f, t)
		}
		s.devType.setOptions(opts)
		s.trunkGroup.SetOptions(append([]string{""}, f.Trunks.TrunkGroups...))
		s.entTrunk.SetOptions(append([]string{""}, f.Trunks.EnterpriseTrunks...))
	}
	s.devType.set(deviceLabel(f, d.DeviceType))
	s.showMACNeed()
	s.trunkGroup.SetSelected(d.TrunkGroup)
	s.entTrunk.SetSelected(d.EnterpriseTrunk)
	for _, t := range []*templateField{s.name, s.port, s.mac, s.trunkLP} {
		t.load()
	}
	s.hosted.Hide()
	s.trunk.Hide()
	switch d.Mode {
	case wizard.DeviceHosted:
		s.hosted.Show()
	case wizard.DeviceTrunk:
		s.trunk.Show()
	}
	s.sample.update(s.w.m)
}

// macMark follows the name of a device type that needs a MAC address in
// the list of types.
const macMark = " · needs a MAC"

// deviceLabel is a device type as the list shows it: marked when it needs
// a MAC address.
func deviceLabel(f *wizard.GroupFacts, t string) string {
	if f == nil || t == "" {
		return t
	}
	if need, known := f.RequiresMAC(t); known && need {
		return t + macMark
	}
	return t
}

// showMACNeed says which device types need a MAC address, and whether
// the chosen one does.
func (s *deviceStep) showMACNeed() {
	f := s.w.m.EffectiveFacts()
	if f == nil {
		s.macNeed.SetText("")
		return
	}
	var need []string
	for _, t := range f.DeviceTypes {
		if n, known := f.RequiresMAC(t); known && n {
			need = append(need, t)
		}
	}
	text := ""
	if t := s.w.m.Device.DeviceType; t != "" {
		switch n, known := f.RequiresMAC(t); {
		case known && n:
			text = t + " needs a MAC address for every phone. "
		case known:
			text = t + " needs no MAC address. "
		}
	}
	switch {
	case len(need) == 0:
		text += "No device type here needs a MAC address."
	case len(need) <= 6:
		text += "Types that need a MAC address: " + strings.Join(need, ", ") + "."
	default:
		text += fmt.Sprintf("%d types need a MAC address (marked in the list).", len(need))
	}
	s.macNeed.SetText(text)
}
