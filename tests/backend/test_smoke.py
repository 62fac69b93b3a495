def test_start_and_send(client, fake_rasa):
    r = client.post("/api/v1/conversations")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["messages"][0]["text"] == "echo: /start_intake"
    h = {"Authorization": f"Bearer {body['token']}"}
    r = client.post(f"/api/v1/conversations/{body['conversation_id']}/messages", json={"text": "hoi"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["messages"][0]["text"] == "echo: hoi"
    r = client.get(f"/api/v1/conversations/{body['conversation_id']}/messages", headers=h)
    assert [m["from"] for m in r.json()["messages"]] == ["bot", "user", "bot"]
