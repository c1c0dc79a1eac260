#!/usr/bin/env bash
# Rebuilds data/sample-register.json from public facts, through the CLI itself.
# Dates are given only to the precision the public record supports.
set -euo pipefail
cd "$(dirname "$0")"
rm -f sample-register.json
a() { agreements --db sample-register.json add "$@" >/dev/null; }
CT="https://www.capetown.gov.za/Family%20and%20home/City-publications/agreements/external-partnership-agreements"

a --party "Aarhus, Denmark" --party "Qixia District (栖霞区), Nanjing (南京), China" --type collaboration \
  --signed 2012-10-02 --place "Aarhus City Hall" \
  --signatory "Jacob Bundsgaard; Mayor; Aarhus" --signatory "Xing Zhengjun; Governor; Qixia" \
  --sector cleantech --possible-sector education \
  --contact "Internationalt Kontor, Aarhus Kommune; primary contact; +45 8940 2195; ; Aarhus" \
  --note "The concrete areas of collaboration were to be settled in spring 2013." \
  --note "The tie reaches back to 1937, when Bernhard Arp Sindberg protected thousands of people in Nanjing." \
  --tag nordic-china
a --party "Coventry, United Kingdom" --party "Volgograd, Russia" --type twinning --signed 1944 \
  --sector culture --note "Linked while the city was still called Stalingrad; often named the first modern twinning."
a --party "Oxford, United Kingdom" --party "Bonn, Germany" --type twinning --signed 1947 --sector culture --sector youth
a --party "Edinburgh, United Kingdom" --party "Munich, Germany" --type twinning --signed 1954 --sector culture
a --party "Rome, Italy" --party "Paris, France" --type twinning --signed 1956 --sector culture --sector tourism \
  --note "Each city's only twin."
a --party "Kyoto, Japan" --party "Paris, France" --type friendship --signed 1958 --sector culture
a --party "Coventry, United Kingdom" --party "Dresden, Germany" --type twinning --signed 1959 --sector culture
a --party "Tianjin, China" --party "Kobe, Japan" --type sister-city --signed 1973 --sector trade --sector logistics
a --party "Beijing, China" --party "Tokyo, Japan" --type friendship --signed 1979 --sector culture --sector urban-planning
a --party "St. Louis, United States" --party "Nanjing, China" --type sister-city --signed 1979 \
  --sector education --sector culture
a --party "Hamburg, Germany" --party "Shanghai, China" --type sister-city --signed 1986 \
  --sector trade --sector logistics --sector culture
a --party "Cape Town, South Africa" --party "Buenos Aires, Argentina" --type mou --signed 2017-06-23 \
  --sector governance --sector tourism --source "$CT; City of Cape Town: external partnership agreements"
a --party "Islamabad, Pakistan" --party "Sejong, South Korea" --type letter-of-intent --signed 2017-07 \
  --place "Sejong, at the 2017 World Administrative Cities Forum" \
  --signatory "Sheikh Anser Aziz; Mayor; Islamabad" --signatory "Choon-hee Lee; Mayor; Sejong" \
  --sector business --sector culture --sector tourism --sector urban-planning --sector transport \
  --sector environment --sector education \
  --note "A memorandum of understanding was to follow." \
  --source "http://nation.com.pk/islamabad/13-Jul-2017/mci-signs-loi-for-cooperation-with-sejong-city; MCI signs LoI for cooperation with Sejong City; 2017-07-13"
a --party "Cape Town, South Africa" --party "Accra, Ghana" --level "Accra=municipality" --type cooperation \
  --signed 2018-02-02 --sector trade --sector tourism --sector urban-planning --sector governance --sector culture \
  --title "Cape Town – Accra declaration of cooperation" --source "$CT"
a --party "Gorgan, Iran" --party "Guangzhou, China" --type mou --signed 2018 --place Guangzhou \
  --signatory "Abdolreza Dadboud; Mayor; Gorgan" --signatory "Wen Guohui; Mayor; Guangzhou" \
  --sector culture --sector education --sector business --sector sport --sector governance \
  --note "Signed during the 2018 Global Mayors' Forum; a step towards sister-city status." \
  --source "https://en.mehrnews.com/news/140345/Iranian-Gorgan-Chinese-Guangzhou-to-become-sister-cities"
a --party "Cape Town, South Africa" --party "Dubai Municipality, United Arab Emirates" --type sister-city \
  --signed 2019-12-11 --sector governance --source "$CT"
a --party "Cape Town, South Africa" --party "Nairobi City County, Kenya" --type cooperation --signed 2023-05-23 \
  --sector governance --source "$CT"
