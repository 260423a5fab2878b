#!/bin/sh
# A rehearsal of the KSDD track (workflows/ksdd.lua, Permendagri 22/2020 Pasal 6-17) on a sample
# workspace: the sample agreement CONTOH/009/KSDD/2026 walks from persiapan to pelaporan as the
# people who act on it, on chosen dates (--now, allowed by testing.clock_override), with the
# partner's 30-day reply deadline running out and the DPRD's silence deemed approved after 45 days.
#
#   examples/walk-ksdd.sh WORKSPACE        (SINERGI=path/to/sinergi, default .build/debug/sinergi)
set -eu
WS=${1:?usage: walk-ksdd.sh WORKSPACE}
SINERGI=${SINERGI:-$(pwd)/.build/debug/sinergi}
N=CONTOH/009/KSDD/2026
SINERGI_WORKSPACE=$WS; export SINERGI_WORKSPACE
s() { echo "\$ sinergi $*"; "$SINERGI" "$@"; }
on() { SINERGI_NOW="$1"; export SINERGI_NOW; }
sinergi() { s "$@"; }

# A rehearsal workspace only: --now is refused elsewhere.
grep -q '^testing = { clock_override = true }' "$WS/sinergi.lua" || printf '\ntesting = { clock_override = true }\n' >> "$WS/sinergi.lua"

on 2027-01-04T09:00:00+07:00
"$SINERGI" agreement edit $N --set membebani_masyarakat=true >/dev/null   # burdens the public: DPRD approval needed
sinergi workflow status $N                                                  # init --sample put it on ksdd, at persiapan
sinergi agreement attach $N --kind kak --number KAK/009/2027 --date 2027-01-04 --as dewi >/dev/null
sinergi workflow fire $N kak_diajukan --as dewi                             # the PD sends its KAK to the TKKSD (Pasal 7)
sinergi agreement attach $N --kind hasil_kajian_tkksd --number TKKSD/009/2027 --date 2027-01-08 --as sari >/dev/null
sinergi task list --as sari
sinergi workflow fire $N kajian_disetujui --as sari --note "KAK sesuai RPJMD"
sinergi agreement attach $N --kind surat_penawaran --number 415/PEM/2027 --date 2027-01-11 --as sari >/dev/null
sinergi workflow fire $N penawaran_ditandatangani --as walikota              # the offer (Pasal 8)
on 2027-01-18T09:00:00+07:00
sinergi workflow fire $N penawaran_diterima_mitra --as sari                 # received: the partner's 30 days run
on 2027-02-18T08:00:00+07:00
sinergi workflow tick                                                      # no reply in 30 days: a second request
on 2027-02-22T09:00:00+07:00
sinergi agreement attach $N --kind surat_permintaan_tanggapan --number 415.1/PEM/2027 --date 2027-02-19 --as sari >/dev/null
sinergi workflow fire $N permintaan_kedua_diterima_mitra --as sari
on 2027-03-01T09:00:00+07:00
sinergi workflow fire $N mitra_menerima --as sari --note "surat balasan Pemprov Jatim"
on 2027-03-08T09:00:00+07:00
sinergi workflow fire $N rancangan_kb_diajukan --as dewi                    # penyusunan KB (Pasal 9)
sinergi workflow fire $N rancangan_kb_disepakati --as sari
on 2027-03-22T09:00:00+07:00
sinergi agreement attach $N --kind kesepakatan_bersama --number 180/12/2027 --date 2027-03-22 --set-dates --ends-on 2032-03-21 --as sari >/dev/null
sinergi workflow fire $N kb_ditandatangani --as walikota                    # signed; needs DPRD approval (Pasal 11)
on 2027-03-26T09:00:00+07:00
sinergi agreement attach $N --kind surat_permohonan_dprd --number 170/30/2027 --date 2027-03-26 --as sari >/dev/null
sinergi workflow fire $N permohonan_diajukan --as walikota                  # received 26 March: day 45 is 10 May
on 2027-05-10T23:59:00+07:00
sinergi workflow tick                                                      # still day 45: nothing is deemed yet
on 2027-05-11T00:00:00+07:00
sinergi workflow tick                                                      # the DPRD was silent: deemed approved (Pasal 12(4))
on 2027-05-17T09:00:00+07:00
sinergi workflow fire $N rancangan_pks_diajukan --as dewi                   # penyusunan PKS (Pasal 13)
sinergi workflow fire $N rancangan_pks_disepakati --as sari
on 2027-05-24T09:00:00+07:00
sinergi agreement attach $N --kind pks --number 180/20/2027 --date 2027-05-24 --set-dates --ends-on 2030-05-23 --as sari >/dev/null
"$SINERGI" agreement edit $N --as sari >/dev/null \
  --set "pks_clauses=maksud_tujuan; objek; ruang_lingkup; pelaksanaan; hak_kewajiban; pembiayaan; jangka_waktu; penyelesaian_perselisihan; keadaan_kahar; pengakhiran"
sinergi workflow fire $N pks_ditandatangani --as walikota                   # penandatanganan PKS (Pasal 14)
on 2027-05-31T09:00:00+07:00
sinergi workflow fire $N naskah_diarsipkan --as sari                        # penatausahaan (Pasal 16)
on 2027-07-05T09:00:00+07:00
sinergi agreement attach $N --kind laporan_semester --number LAP/I/2027 --date 2027-07-05 --as dewi >/dev/null
sinergi workflow fire $N laporan_semester_disampaikan --as dewi             # pelaporan (Pasal 17)
sinergi workflow history $N
sinergi workflow graph ksdd --format mermaid --agreement $N
