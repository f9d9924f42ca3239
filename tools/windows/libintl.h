/* The libintl-stub.c interface (GNU gettext's names).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LIBINTL_STUB_H
#define LIBINTL_STUB_H
char *gettext(const char *msgid);
char *dgettext(const char *domain, const char *msgid);
char *dcgettext(const char *domain, const char *msgid, int category);
char *ngettext(const char *msgid, const char *plural, unsigned long n);
char *dngettext(const char *domain, const char *msgid, const char *plural, unsigned long n);
char *dcngettext(const char *domain, const char *msgid, const char *plural, unsigned long n, int category);
char *textdomain(const char *domain);
char *bindtextdomain(const char *domain, const char *dir);
char *bind_textdomain_codeset(const char *domain, const char *codeset);
#endif
