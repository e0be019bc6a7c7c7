package ocisim

import (
	"strconv"
)

func hSPList(c *call, e *element) result {
	if err := c.system(); err != nil {
		return failure(err)
	}
	var rows [][]string
	for _, id := range sortedKeys(c.w.ServiceProviders) {
		sp := c.w.ServiceProviders[id]
		if e.has("isEnterprise") && boolVal(e.val("isEnterprise")) != sp.IsEnterprise {
			continue
		}
		if !criteriaMatch(e, "searchCriteriaServiceProviderId", sp.ID) ||
			!criteriaMatch(e, "searchCriteriaServiceProviderName", sp.Name) ||
			!criteriaMatch(e, "searchCriteriaResellerId", "") {
			continue
		}
		rows = append(rows, []string{sp.ID, sp.Name, strconv.FormatBool(sp.IsEnterprise), ""})
	}
	w := &builder{}
	w.table("serviceProviderTable", []string{"Service Provider Id", "Service Provider Name", "Is Enterprise", "Reseller Id"}, limitRows(rows, sizeLimit(e)))
	return data("ServiceProviderGetListResponse", w)
}

func hSPGet(c *call, e *element) result {
	sp, err := c.spOf(e)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	w.boolean("isEnterprise", sp.IsEnterprise)
	w.leaf("defaultDomain", sp.DefaultDomain)
	w.opt("serviceProviderName", sp.Name)
	w.boolean("useServiceProviderLanguages", false)
	w.leaf("serviceProviderId", sp.ID)
	return data("ServiceProviderGetResponse22V4", w)
}

func hSPAdd(c *call, e *element) result {
	if err := c.system(); err != nil {
		return failure(err)
	}
	id := e.val("serviceProviderId")
	if id == "" {
		return failure(validationFailure("Element 'serviceProviderId' is required by this simulator (in " + c.cmd + ")"))
	}
	if _, ok := c.w.ServiceProviders[id]; ok {
		return failure(errorf(codeSPExists, "Service Provider already exists: %s", id))
	}
	dom := e.val("defaultDomain")
	if !contains(c.w.SystemDomains, dom) {
		// A new SP may bring a new domain; the system learns it.
		c.w.SystemDomains = append(c.w.SystemDomains, dom)
	}
	sp := &ServiceProvider{
		ID: id, Name: e.val("serviceProviderName"), IsEnterprise: e.has("isEnterprise"), // fixed true; a plain SP sends useCustomRoutingProfile
		DefaultDomain: dom, Domains: []string{dom}, Numbers: map[string]string{}, Groups: map[string]*Group{},
	}
	for _, d := range e.vals("domain") {
		if !contains(sp.Domains, d) {
			sp.Domains = append(sp.Domains, d)
		}
	}
	nums, err := dnList(e)
	if err != nil {
		return failure(err)
	}
	for _, n := range nums {
		if owner := c.w.spHoldingDN(n); owner != "" {
			return failure(errorf(codeDNExists, "Phone number already exists in service provider %s: %s", owner, n))
		}
		sp.Numbers[n] = ""
	}
	c.w.ServiceProviders[id] = sp
	c.w.AddCounts[c.cmd]++
	c.mutated = true
	return success()
}

// maxRange bounds one dnRange so a request cannot allocate without limit.
const maxRange = 10000

// dnList expands phoneNumber* and dnRange* {minPhoneNumber, maxPhoneNumber}.
func dnList(e *element) ([]string, *ociError) {
	out := append([]string(nil), e.vals("phoneNumber")...)
	for i, r := range e.children("dnRange") {
		lo, hi := nationalDN(r.val("minPhoneNumber")), nationalDN(r.val("maxPhoneNumber"))
		a, err1 := strconv.ParseUint(lo, 10, 63)
		b, err2 := strconv.ParseUint(hi, 10, 63)
		if err1 != nil || err2 != nil || b < a || len(lo) != len(hi) || !allDigits(lo) || !allDigits(hi) {
			return nil, errorf(codeDNRangeInvalid, "Invalid phone number range %d: %s - %s", i+1, lo, hi)
		}
		if b-a >= maxRange {
			return nil, errorf(codeDNRangeInvalid, "Phone number range %d is larger than %d numbers", i+1, maxRange)
		}
		for n := a; n <= b; n++ {
			s := strconv.FormatUint(n, 10)
			for len(s) < len(lo) {
				s = "0" + s
			}
			out = append(out, s)
		}
	}
	for i, n := range out {
		out[i] = nationalDN(n)
	}
	return out, nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func (w *world) spHoldingDN(dn string) string {
	for id, sp := range w.ServiceProviders {
		if _, ok := sp.Numbers[dn]; ok {
			return id
		}
	}
	return ""
}

func hSPDnAdd(c *call, e *element) result {
	if err := c.system(); err != nil {
		return failure(err)
	}
	sp, err := c.w.sp(e.val("serviceProviderId"))
	if err != nil {
		return failure(err)
	}
	nums, err := dnList(e)
	if err != nil {
		return failure(err)
	}
	for _, n := range nums {
		if owner := c.w.spHoldingDN(n); owner != "" {
			return failure(errorf(codeDNExists, "Phone number already exists in service provider %s: %s", owner, n))
		}
	}
	for _, n := range nums {
		sp.Numbers[n] = ""
	}
	c.mutated = true
	return success()
}

func hSPDomains(c *call, e *element) result {
	id := e.val("serviceProviderId")
	sp, err := c.scopedSP(id)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	w.leaf("serviceProviderDefaultDomain", sp.DefaultDomain)
	n := 0
	for _, d := range sp.Domains {
		if limit := sizeLimit(e); limit >= 0 && n >= limit {
			break
		}
		if !criteriaMatch(e, "searchCriteriaDomainName", d) {
			continue
		}
		w.leaf("domain", d)
		n++
	}
	return data("ServiceProviderDomainGetAssignedListResponse22", w)
}

func hSPRules(c *call, e *element) result {
	id := e.val("serviceProviderId")
	sp, err := c.scopedSP(id)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	w.leaf("rulesApplyTo", "Administrator and User")
	w.boolean("allowWebAddExternalAuthenticationUsers", false)
	writeRules(w, c.w.rulesFor(sp, nil), false)
	return data("ServiceProviderPasswordRulesGetResponseRI", w)
}

func hEnterpriseTrunks(c *call, e *element) result {
	id := e.val("serviceProviderId")
	sp, err := c.scopedSP(id)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	for _, t := range sp.EnterpriseTrunks {
		rows = append(rows, []string{t.Name, t.Routing})
	}
	w := &builder{}
	w.table("enterpriseTrunkTable", []string{"Enterprise Trunk Name", "Routing Type"}, limitRows(rows, sizeLimit(e)))
	return data("EnterpriseEnterpriseTrunkGetListResponse", w)
}
