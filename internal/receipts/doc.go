// Package receipts renders the French tax receipt for gifts from private
// individuals (reçu fiscal, form 2041-RD, Cerfa n° 11580*05) as a one-page
// PDF, and writes amounts in words.
//
// It only renders. The donations domain decides who gets a receipt, numbers
// it, stores it and sends it; it hands this package a complete Receipt. A
// receipt with a missing or wrong mandatory mention costs the issuing
// association a fine equal to the donor's tax reduction (CGI art. 1740 A),
// so Render refuses any Receipt that Validate rejects.
//
// Wording. The mentions are those of the 11580*05 model (April 2023), which
// differs from the *03 and *04 models still quoted on many sites: its title is
// « Reçu des dons et versements effectués par les particuliers au titre des
// articles 200 et 978 du code général des impôts » (article 238 bis went to
// the companies' form 2041-MEC-SD), the beneficiary's SIREN or RNA number is
// mandatory, endowment funds have their own box, and the nature of the gift
// lists waived income and volunteers' expenses. A custom layout is allowed
// when every applicable mention of the model is reproduced; only the
// beneficiary's own category box is printed, ticked, as the model allows.
//
// Encoding. The PDF uses the standard Helvetica font, which every reader
// has, so the binary embeds no font file. Its encoding is Windows-1252,
// which covers French (accents, « », œ, €, ’): see encode for the few
// characters it lacks.
package receipts
