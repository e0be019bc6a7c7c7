package ocisim

import (
	"sort"
	"strings"
)

// index holds the look-ups the rules need, so that checks cost the same
// with ten users or a hundred thousand. It is derived from world.Users and
// rebuilt after loading; every change of a user goes through putUser or
// dropUser.
type index struct {
	byGroup    map[string]map[string]*User // "sp\x00group" → user id → user
	byNumber   map[string]*User            // national DN → user
	byLinePort map[string]*User            // lower-case line/port → user
	byExt      map[string]*User            // "sp\x00group\x00ext" → user
	devicePort map[string]int              // "sp\x00group\x00device" → users on it
	// byMAC: "sp\x00MAC" → device, built from the devices on first use
	// (nil until then) and kept by the device add and delete. An entry
	// whose device is gone (its group deleted) is ignored and replaced.
	byMAC map[string]*Device
}

func gkey(sp, g string) string { return sp + "\x00" + g }

func (w *world) reindex() {
	w.idx = index{
		byGroup:    map[string]map[string]*User{},
		byNumber:   map[string]*User{},
		byLinePort: map[string]*User{},
		byExt:      map[string]*User{},
		devicePort: map[string]int{},
	}
	for _, u := range w.Users {
		w.indexUser(u)
	}
}

func (w *world) indexUser(u *User) {
	k := gkey(u.ServiceProviderID, u.GroupID)
	m := w.idx.byGroup[k]
	if m == nil {
		m = map[string]*User{}
		w.idx.byGroup[k] = m
	}
	m[u.UserID] = u
	if u.PhoneNumber != "" {
		w.idx.byNumber[nationalDN(u.PhoneNumber)] = u
	}
	if u.LinePort != "" {
		w.idx.byLinePort[strings.ToLower(u.LinePort)] = u
	}
	if u.TrunkLinePort != "" {
		w.idx.byLinePort[strings.ToLower(u.TrunkLinePort)] = u
	}
	if u.Extension != "" {
		w.idx.byExt[k+"\x00"+u.Extension] = u
	}
	if u.DeviceName != "" {
		w.idx.devicePort[k+"\x00"+u.DeviceName]++
	}
	for _, s := range u.SharedCallAppearances {
		w.idx.byLinePort[strings.ToLower(s.LinePort)] = u
		w.idx.devicePort[k+"\x00"+s.DeviceName]++
	}
}

func (w *world) unindexUser(u *User) {
	k := gkey(u.ServiceProviderID, u.GroupID)
	delete(w.idx.byGroup[k], u.UserID)
	if u.PhoneNumber != "" && w.idx.byNumber[nationalDN(u.PhoneNumber)] == u {
		delete(w.idx.byNumber, nationalDN(u.PhoneNumber))
	}
	for _, lp := range []string{u.LinePort, u.TrunkLinePort} {
		if lp != "" && w.idx.byLinePort[strings.ToLower(lp)] == u {
			delete(w.idx.byLinePort, strings.ToLower(lp))
		}
	}
	for _, s := range u.SharedCallAppearances {
		if w.idx.byLinePort[strings.ToLower(s.LinePort)] == u {
			delete(w.idx.byLinePort, strings.ToLower(s.LinePort))
		}
		dk := k + "\x00" + s.DeviceName
		if w.idx.devicePort[dk]--; w.idx.devicePort[dk] <= 0 {
			delete(w.idx.devicePort, dk)
		}
	}
	if u.Extension != "" && w.idx.byExt[k+"\x00"+u.Extension] == u {
		delete(w.idx.byExt, k+"\x00"+u.Extension)
	}
	if u.DeviceName != "" {
		dk := k + "\x00" + u.DeviceName
		if w.idx.devicePort[dk]--; w.idx.devicePort[dk] <= 0 {
			delete(w.idx.devicePort, dk)
		}
	}
}

// putUser stores u (a new user or the new version of an existing one).
func (w *world) putUser(u *User) {
	if old, ok := w.Users[u.UserID]; ok {
		w.unindexUser(old)
	}
	w.Users[u.UserID] = u
	w.indexUser(u)
}

// dropUser deletes a user.
func (w *world) dropUser(id string) {
	if old, ok := w.Users[id]; ok {
		w.unindexUser(old)
		delete(w.Users, id)
	}
}

func (w *world) userCount(sp, g string) int { return len(w.idx.byGroup[gkey(sp, g)]) }

// usersIn returns the users of a group sorted by id.
func (w *world) usersIn(sp, g string) []*User {
	m := w.idx.byGroup[gkey(sp, g)]
	out := make([]*User, 0, len(m))
	for _, u := range m {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out
}

// macOwner returns the device of a service provider or enterprise with a
// MAC address (upper case, no separators), or nil.
func (w *world) macOwner(sp *ServiceProvider, mac string) *Device {
	if w.idx.byMAC == nil {
		w.idx.byMAC = map[string]*Device{}
		for _, s := range w.ServiceProviders {
			for _, g := range s.Groups {
				for _, d := range g.Devices {
					if d.MACAddress != "" {
						w.idx.byMAC[gkey(s.ID, d.MACAddress)] = d
					}
				}
			}
		}
	}
	d := w.idx.byMAC[gkey(sp.ID, mac)]
	if d == nil {
		return nil
	}
	if g, ok := sp.Groups[d.GroupID]; !ok || g.Devices[d.Name] != d || d.MACAddress != mac {
		delete(w.idx.byMAC, gkey(sp.ID, mac))
		return nil
	}
	return d
}

// indexDevice records a new device's MAC address; dropDevice forgets it.
func (w *world) indexDevice(d *Device) {
	if w.idx.byMAC != nil && d.MACAddress != "" {
		w.idx.byMAC[gkey(d.ServiceProviderID, d.MACAddress)] = d
	}
}

func (w *world) dropDevice(d *Device) {
	if w.idx.byMAC != nil && d.MACAddress != "" && w.idx.byMAC[gkey(d.ServiceProviderID, d.MACAddress)] == d {
		delete(w.idx.byMAC, gkey(d.ServiceProviderID, d.MACAddress))
	}
}

// numberOwner returns the user holding a DN (compared in national form).
func (w *world) numberOwner(dn string) *User { return w.idx.byNumber[nationalDN(dn)] }

// linePortOwner returns the user using a line/port (device or trunk).
func (w *world) linePortOwner(lp string) *User { return w.idx.byLinePort[strings.ToLower(lp)] }

// extensionOwner returns the user of a group with this extension.
func (w *world) extensionOwner(sp, g, ext string) *User {
	return w.idx.byExt[gkey(sp, g)+"\x00"+ext]
}

// portsUsed counts the line/ports in use on a device: its users' primary
// ones and their Shared Call Appearance endpoints.
func (w *world) portsUsed(sp, g, dev string) int { return w.idx.devicePort[gkey(sp, g)+"\x00"+dev] }

// checkIndex compares the index with one rebuilt from scratch (tests).
func (w *world) checkIndex() string {
	got := w.idx
	w.reindex()
	want := w.idx
	w.idx = got
	if len(got.byGroup) < len(want.byGroup) {
		return "byGroup"
	}
	for k, m := range want.byGroup {
		if len(got.byGroup[k]) != len(m) {
			return "byGroup " + k
		}
	}
	for _, d := range []string{
		sameMap("byNumber", got.byNumber, want.byNumber),
		sameMap("byLinePort", got.byLinePort, want.byLinePort),
		sameMap("byExt", got.byExt, want.byExt),
		sameMap("devicePort", got.devicePort, want.devicePort),
	} {
		if d != "" {
			return d
		}
	}
	return ""
}

// sameMap returns "" when got and want hold the same entries, else name
// and, when one entry differs, its key.
func sameMap[V comparable](name string, got, want map[string]V) string {
	if len(got) != len(want) {
		return name
	}
	for k, v := range want {
		if got[k] != v {
			return name + " " + k
		}
	}
	return ""
}
