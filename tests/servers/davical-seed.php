<?php
// Seed a DAViCal address book with many cards in one transaction, by DAViCal's own code: what
// `caldav-PUT-vcard.php` does for a PUT of a new card (parse and render it with DAViCal's vCard
// class, adding REV; the ETag is the md5 of what it rendered; a caldav_data row; the
// addressbook_resource, address, phone and e-mail rows by `vCard::Write`; `write_sync_change`),
// once per card, without the HTTP request, authentication and commit each PUT costs. The database's
// own triggers move the collection's ETag as they do for a PUT. Run with PGHOST and PGPORT naming
// the tests' cluster:
//   php davical-seed.php USER BOOK_PATH < cards.json       ([{file, vcard}]; BOOK_PATH /alice/book1/)
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING);
set_include_path('/usr/share/davical/inc:/usr/share/awl/inc:' . get_include_path());
$c = new stdClass();
$c->pg_connect = array('dbname=davical user=davical_app');
$c->dbg = array();
require_once('AWLUtilities.php');
require_once('AwlQuery.php');
require_once('vcard.php');

list(, $user, $path) = $argv;
$qry = new AwlQuery('SELECT collection_id, user_no FROM collection WHERE dav_name = :path', array(':path' => $path));
if (!$qry->Exec('seed', __LINE__, __FILE__) || $qry->rows() != 1) {
    fwrite(STDERR, "no collection $path\n");
    exit(1);
}
$collection = $qry->Fetch();
$qry = new AwlQuery('SELECT user_no FROM usr WHERE username = :user', array(':user' => $user));
if (!$qry->Exec('seed', __LINE__, __FILE__) || $qry->rows() != 1) {
    fwrite(STDERR, "no user $user\n");
    exit(1);
}
$session_user = $qry->Fetch()->user_no;

$cards = json_decode(stream_get_contents(STDIN), true);
$qry = new AwlQuery();
$qry->Begin();
foreach ($cards as $card) {
    $dav_name = $path . $card['file'];
    $vcard = new vCard($card['vcard']);
    $uid = $vcard->GetPValue('UID');
    if (empty($uid)) $vcard->AddProperty('UID', uuid());
    // The REV a PUT adds where the card has none (the cards seeded here are new and carry none).
    $last_modified = $vcard->GetPValue('REV');
    if (empty($last_modified)) {
        $last_modified = gmdate('Ymd\THis\Z');
        $vcard->AddProperty('REV', $last_modified);
    } elseif (!preg_match('{^\d{8}T\d{6}Z$}', $last_modified)) {
        fwrite(STDERR, "$dav_name: a REV a PUT would rewrite; PUT it instead\n");
        exit(1);
    }
    $rendered = $vcard->Render();
    $ok = $qry->QDo(
        "INSERT INTO caldav_data ( user_no, dav_name, dav_etag, caldav_data, caldav_type, logged_user, created, modified, collection_id )
         VALUES( :user_no, :dav_name, :etag, :dav_data, 'VCARD', :session_user, current_timestamp, :modified, :collection_id )",
        array(':user_no' => $collection->user_no, ':dav_name' => $dav_name, ':etag' => md5($rendered), ':dav_data' => $rendered,
              ':session_user' => $session_user, ':modified' => $last_modified, ':collection_id' => $collection->collection_id)
    );
    if (!$ok) {
        fwrite(STDERR, "$dav_name: insert failed (already there?)\n");
        exit(1);
    }
    $qry->QDo("SELECT currval('dav_id_seq') AS dav_id");
    $vcard->Write($qry->Fetch()->dav_id, false);
    $qry->QDo('SELECT write_sync_change( :collection_id, 201, :dav_name)', array(':collection_id' => $collection->collection_id, ':dav_name' => $dav_name));
}
if (!$qry->Commit()) {
    fwrite(STDERR, "commit failed\n");
    exit(1);
}
