// Package shop is the association's bookshop: books and their prices under
// French book law (loi Lang as amended in 2014, 2021 and 2023), carts,
// delivery charges under the Darcos floor, VAT in the association's
// chosen mode, orders from checkout to delivery, stock, and the gap-free
// numbering of invoices.
//
// Money is integer cents everywhere; VAT rates are basis points (550 is
// 5.5 %). Prices are stored tax included, as publishers set them; amounts
// before tax are derived per rate on each document, so that HT + VAT is
// always the TTC the customer pays.
//
// The package knows no HTTP and no SQL: package storage implements Store,
// package web/site and web/admin call Service, and the payment provider is
// reached through package payments.
package shop
