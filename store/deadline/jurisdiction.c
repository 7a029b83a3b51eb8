/* jurisdiction.c — the codes a rule or an estimate names a jurisdiction by: ISO 3166-2 for the
 * U.S. States, DC and the territories (US-TX, US-DC, US-PR, US-GU, US-VI), ISO 3166-1 alpha-2
 * for countries (CA-QC for Quebec), and EU for the European Union's regimes.  One table: the
 * estimate field's choices and the names shown come from it. */
#include "store/store.h"

#include <string.h>

/* The 54 U.S. jurisdictions first: cf_us_jurisdiction_at walks them. */
#define US_JURISDICTIONS(X) \
	X("US-AL", "Alabama") \
	X("US-AK", "Alaska") \
	X("US-AZ", "Arizona") \
	X("US-AR", "Arkansas") \
	X("US-CA", "California") \
	X("US-CO", "Colorado") \
	X("US-CT", "Connecticut") \
	X("US-DE", "Delaware") \
	X("US-FL", "Florida") \
	X("US-GA", "Georgia") \
	X("US-HI", "Hawaii") \
	X("US-ID", "Idaho") \
	X("US-IL", "Illinois") \
	X("US-IN", "Indiana") \
	X("US-IA", "Iowa") \
	X("US-KS", "Kansas") \
	X("US-KY", "Kentucky") \
	X("US-LA", "Louisiana") \
	X("US-ME", "Maine") \
	X("US-MD", "Maryland") \
	X("US-MA", "Massachusetts") \
	X("US-MI", "Michigan") \
	X("US-MN", "Minnesota") \
	X("US-MS", "Mississippi") \
	X("US-MO", "Missouri") \
	X("US-MT", "Montana") \
	X("US-NE", "Nebraska") \
	X("US-NV", "Nevada") \
	X("US-NH", "New Hampshire") \
	X("US-NJ", "New Jersey") \
	X("US-NM", "New Mexico") \
	X("US-NY", "New York") \
	X("US-NC", "North Carolina") \
	X("US-ND", "North Dakota") \
	X("US-OH", "Ohio") \
	X("US-OK", "Oklahoma") \
	X("US-OR", "Oregon") \
	X("US-PA", "Pennsylvania") \
	X("US-RI", "Rhode Island") \
	X("US-SC", "South Carolina") \
	X("US-SD", "South Dakota") \
	X("US-TN", "Tennessee") \
	X("US-TX", "Texas") \
	X("US-UT", "Utah") \
	X("US-VT", "Vermont") \
	X("US-VA", "Virginia") \
	X("US-WA", "Washington") \
	X("US-WV", "West Virginia") \
	X("US-WI", "Wisconsin") \
	X("US-WY", "Wyoming") \
	X("US-DC", "District of Columbia") \
	X("US-PR", "Puerto Rico") \
	X("US-GU", "Guam") \
	X("US-VI", "U.S. Virgin Islands")

#define OTHER_JURISDICTIONS(X) \
	X("US", "United States") \
	X("GB", "United Kingdom") \
	X("CA", "Canada") \
	X("AU", "Australia") \
	X("EU", "European Union") \
	X("AT", "Austria") \
	X("BE", "Belgium") \
	X("BG", "Bulgaria") \
	X("HR", "Croatia") \
	X("CY", "Cyprus") \
	X("CZ", "Czechia") \
	X("DK", "Denmark") \
	X("EE", "Estonia") \
	X("FI", "Finland") \
	X("FR", "France") \
	X("DE", "Germany") \
	X("GR", "Greece") \
	X("HU", "Hungary") \
	X("IE", "Ireland") \
	X("IT", "Italy") \
	X("LV", "Latvia") \
	X("LT", "Lithuania") \
	X("LU", "Luxembourg") \
	X("MT", "Malta") \
	X("NL", "Netherlands") \
	X("PL", "Poland") \
	X("PT", "Portugal") \
	X("RO", "Romania") \
	X("SK", "Slovakia") \
	X("SI", "Slovenia") \
	X("ES", "Spain") \
	X("SE", "Sweden") \
	X("CA-QC", "Quebec")

#define CODE(c, n) c,
#define NAME(c, n) n,
#define COUNT(c, n) +1

const char *const cf_jurisdiction_codes[] = { US_JURISDICTIONS(CODE) OTHER_JURISDICTIONS(CODE)
					      NULL };
static const char *const names[] = { US_JURISDICTIONS(NAME) OTHER_JURISDICTIONS(NAME) };
enum { N_US = 0 US_JURISDICTIONS(COUNT) };

const char *cf_jurisdiction_name(const char *code)
{
	for (size_t i = 0; code && cf_jurisdiction_codes[i]; i++)
		if (strcmp(cf_jurisdiction_codes[i], code) == 0)
			return names[i];
	return NULL;
}

const char *cf_us_jurisdiction_at(size_t i)
{
	return i < N_US ? cf_jurisdiction_codes[i] : NULL;
}
