"""MI transactions: control parameters, paging, errors, company checks, record formats."""

from __future__ import annotations

from .conftest import Ion

LIST = "CRS620MI/LstSuppliers"


def test_envelope_and_string_values(ion: Ion) -> None:
    response = ion.get(f"{LIST};maxrecs=2").json()
    assert response["wasTerminated"] is False
    assert response["nrOfSuccessfullTransactions"] == 1 and response["nrOfFailedTransactions"] == 0
    record = response["results"][0]["records"][0]
    assert response["results"][0]["transaction"] == "LstSuppliers"
    assert all(isinstance(v, str) for v in record.values())
    assert record["CONO"] == "100" and len(record["LMDT"]) == 8 and record["LMTS"].isdigit()


def test_maxrecs_default_zero_and_cap(ion: Ion) -> None:
    assert len(ion.records("CRS630MI/LstAccountID", {"AITP": "1"})) == 100
    assert len(ion.records("CRS630MI/LstAccountID;maxrecs=0", {"AITP": "1"})) == 240  # 120 × 2 divisions
    ion.client.put("/_sandbox/settings", json={"max_maxrecs": 50})
    assert len(ion.records("CRS630MI/LstAccountID;maxrecs=0", {"AITP": "1"})) == 50
    assert len(ion.records("CRS630MI/LstAccountID;maxrecs=75", {"AITP": "1"})) == 50


def test_matrix_and_query_control_parameters_agree(ion: Ion) -> None:
    matrix = ion.records(f"{LIST};maxrecs=3;returncols=SUNO,SUNM;cono=200")
    query = ion.records(LIST, {"maxrecs": "3", "returncols": "SUNO,SUNM", "cono": "200"})
    upper_field = ion.records(f"{LIST};maxrecs=3;returncols=SUNO,SUNM", {"CONO": "200"})
    assert matrix == query == upper_field
    assert len(matrix) == 3 and set(matrix[0]) == {"SUNO", "SUNM"}
    assert matrix != ion.records(f"{LIST};maxrecs=3;returncols=SUNO,SUNM")  # company 100 names differ


def test_keyset_paging_returns_every_supplier_once(ion: Ion) -> None:
    everything = ion.records(f"{LIST};maxrecs=0;returncols=SUNO")
    seen: list[str] = []
    frsu = ""
    while True:
        page = [r["SUNO"] for r in ion.records(f"{LIST};maxrecs=7;returncols=SUNO", {"FRSU": frsu} if frsu else {})]
        fresh = [s for s in page if not seen or s > seen[-1]]
        seen.extend(fresh)
        if len(page) < 7:
            break
        frsu = page[-1]  # from-keys are inclusive: the last row comes back first on the next page
    assert seen == [r["SUNO"] for r in everything] and len(seen) == len(set(seen)) >= 40


def test_to_key_and_lmts_filters(ion: Ion) -> None:
    rows = ion.records(f"{LIST};maxrecs=0", {"FRSU": "S00005", "TOSU": "S00010"})
    assert [r["SUNO"] for r in rows] == [f"S{n:05d}" for n in range(5, 11)]
    pivot = sorted(int(r["LMTS"]) for r in ion.records(f"{LIST};maxrecs=0"))[20]
    newer = ion.records(f"{LIST};maxrecs=0", {"LMTS": str(pivot)})
    assert newer and all(int(r["LMTS"]) >= pivot for r in newer)


def test_company_not_authorized(ion: Ion) -> None:
    for path, params in ((f"{LIST};cono=999", {}), (LIST, {"CONO": "999"}), (LIST, {"cono": "abc"})):
        result = ion.mi(path, params)
        assert result["errorCode"] == "XAU0008" and result["errorField"] == "CONO"
        assert result["errorType"] == "ServerReturnedNOK"
    result = ion.mi(f"{LIST};cono=999")
    assert result["errorMessage"].rstrip() == "Not authorized for company 999"
    assert len(result["errorMessage"]) == 60 and result["records"] == []


def test_unknown_program_and_transaction(ion: Ion) -> None:
    response = ion.get("XYZMI/LstThings").json()
    assert response["nrOfFailedTransactions"] == 1 and response["nrOfSuccessfullTransactions"] == 0
    result = response["results"][0]
    assert result["errorType"] == "TransactionNotFound"
    assert result["errorMessage"].rstrip() == "Program XYZMI does not exist"
    assert ion.mi("CRS620MI/LstNothing")["errorType"] == "TransactionNotFound"


def test_mandatory_too_long_and_not_numeric_inputs(ion: Ion) -> None:
    missing = ion.mi("CRS620MI/GetBasicData")
    assert missing["errorType"] == "MandatoryInputFieldNotFound" and missing["errorField"] == "SUNO"
    too_long = ion.mi("CRS620MI/GetBasicData", {"SUNO": "S" * 11})
    assert too_long["errorType"] == "InputFieldTooLong" and too_long["errorField"] == "SUNO"
    not_numeric = ion.mi("CRS630MI/LstAccountID", {"AITP": "x"})
    assert not_numeric["errorType"] == "ServerReturnedNOK" and not_numeric["errorField"] == "AITP"


def test_get_basic_data_and_record_not_found(ion: Ion) -> None:
    [supplier] = ion.records("CRS620MI/GetBasicData", {"SUNO": "S00001"})
    assert supplier["SUNO"] == "S00001" and supplier["STAT"] in ("20", "90")
    missing = ion.mi("CRS620MI/GetBasicData", {"SUNO": "NOPE"})
    assert missing["errorCode"] == "XRE0103" and missing["errorField"] == "SUNO"


def test_non_ascii_names_round_trip(ion: Ion) -> None:
    names = [r["SUNM"] for r in ion.records(f"{LIST};maxrecs=0")]
    assert any(not n.isascii() for n in names)
    assert any(ch in "".join(names) for ch in "üéŁ東")
    [one] = ion.records("CRS620MI/GetBasicData", {"SUNO": "S00001"})
    assert one["SUNM"] == names[0]
    assert all(";" not in n and "|" not in n for n in names)


def test_blocked_suppliers_and_locked_dimensions_exist(ion: Ion) -> None:
    assert any(r["STAT"] == "90" for r in ion.records(f"{LIST};maxrecs=0"))
    accounts = ion.records("CRS630MI/LstAccountID;maxrecs=0", {"AITP": "1", "DIVI": "AAA"})
    centers = ion.records("CRS630MI/LstAccountID;maxrecs=0", {"AITP": "2", "DIVI": "AAA"})
    assert len(accounts) == 120 and len(centers) == 40
    assert any(r["LCKD"] == "1" for r in accounts + centers)
    assert all(4 <= len(r["AITM"]) <= 6 for r in accounts)
    assert [r["AITM"] for r in accounts] == sorted(r["AITM"] for r in accounts)
    from_key = accounts[10]["AITM"]
    assert ion.records("CRS630MI/LstAccountID", {"AITP": "1", "DIVI": "AAA", "AITM": from_key})[0]["AITM"] == from_key


def test_divisions_items_customers_and_purchase_orders(ion: Ion) -> None:
    divisions = ion.records("MNS100MI/LstDivisions")
    assert [d["DIVI"] for d in divisions] == ["AAA", "BBB"]
    assert set(divisions[0]) == {"CONO", "DIVI", "CONM", "TX40", "LOCD"}
    assert [d["DIVI"] for d in ion.records("MNS100MI/LstDivisions;cono=200")] == ["AAA"]
    items = ion.records("MMS200MI/LstItmByChgDate;maxrecs=0", {"FLMD": "20000101", "TLMD": "29991231"})
    lmdts = sorted(i["LMDT"] for i in items)
    lo, hi = lmdts[10], lmdts[-10]
    window = ion.records("MMS200MI/LstItmByChgDate;maxrecs=0", {"FLMD": lo, "TLMD": hi})
    assert window and all(lo <= i["LMDT"] <= hi for i in window)
    assert ion.records("MMS200MI/Get", {"ITNO": items[0]["ITNO"]})[0]["ITDS"] == items[0]["ITDS"]
    customers = ion.records("CRS610MI/LstByNumber;maxrecs=5", {"CUNO": "C00003"})
    assert customers[0]["CUNO"] == "C00003" and len(customers) == 5
    po = ion.export("IAPUNO from MPHEAD", ";maxrecs=1")[0]
    head = ion.records("PPS200MI/GetHead", {"PUNO": po})[0]
    lines = ion.records("PPS200MI/LstLine", {"PUNO": po})
    assert head["PUNO"] == po and lines and all(line["PUNO"] == po for line in lines)
    assert ion.mi("PPS200MI/LstLine", {"PUNO": "9999999999"})["errorCode"] == "XRE0103"


def test_server_time(ion: Ion) -> None:
    [now] = ion.records("GENERAL/GetServerTime")
    assert len(now["DATE"]) == 8 and len(now["TIME"]) == 6 and now["LMTS"].isdigit()
