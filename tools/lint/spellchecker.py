"""The part of pyspellchecker's API that Wireshark's tools/check_spelling.py
uses, backed by a plain word list.

pyspellchecker is not packaged by Debian; check_spelling.py only asks
whether words are known (known, unknown, word_frequency.load_words and
load_text_file), so a case-insensitive set of words from Debian's
wamerican-large list (MSSTUN_LINT_WORDS) stands in for its frequency
dictionary.  Like pyspellchecker, numbers and single punctuation marks
are never reported.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import re
import string

WORDS = os.environ.get('MSSTUN_LINT_WORDS', '/usr/share/dict/american-english-large')


class _WordFrequency:
    def __init__(self):
        self.dictionary = set()

    def load_words(self, words):
        self.dictionary.update(w.lower() for w in words)

    def load_text_file(self, filename, encoding='utf-8'):
        with open(filename, encoding=encoding) as f:
            self.load_words(re.findall(r"\w+(?:'\w+)?", f.read()))


class SpellChecker:
    def __init__(self):
        self.word_frequency = _WordFrequency()
        with open(WORDS, encoding='utf-8') as f:
            self.word_frequency.load_words(line.strip() for line in f if line.strip())

    @staticmethod
    def _checked(word):
        if len(word) == 1 and word in string.punctuation:
            return False
        try:
            float(word)
            return False
        except ValueError:
            return True

    def known(self, words):
        return {w.lower() for w in words if w.lower() in self.word_frequency.dictionary}

    def unknown(self, words):
        return {w.lower() for w in words
                if self._checked(w) and w.lower() not in self.word_frequency.dictionary}

    def correction(self, word):
        return word
